import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { batchedStdout, LOG_FLUSH_INTERVAL_MS } from "../../shared/logging/batchedStdout.js";
import { createJsonLogger } from "../../shared/logging/Logger.js";

const afterFlushInterval = () => new Promise((resolve) => setTimeout(resolve, LOG_FLUSH_INTERVAL_MS * 2));

describe("logging: batched stdout", () => {
  it("writes the lines of one flush interval with one write, in order, once the interval is over", async () => {
    const chunks: string[] = [];
    const write = batchedStdout((chunk) => chunks.push(chunk));
    write("a\n");
    await new Promise((resolve) => setImmediate(resolve));
    write("b\n");
    expect(chunks, "nothing written within the interval").to.deep.equal([]);
    await afterFlushInterval();
    write("c\n");
    await afterFlushInterval();
    expect(chunks).to.deep.equal(["a\nb\n", "c\n"]);
  });

  it("writes at once when a large amount is pending", () => {
    const chunks: string[] = [];
    const write = batchedStdout((chunk) => chunks.push(chunk));
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) write(line);
    expect(chunks).to.have.length(1);
    expect(chunks[0]).to.have.length(64 * 1024);
  });

  it("writes what is pending when the process exits at once", async () => {
    const module = fileURLToPath(new URL("../../shared/logging/batchedStdout.js", import.meta.url));
    const program = `import { batchedStdout } from ${JSON.stringify(module)};
      const write = batchedStdout();
      write("first\\n");
      write("last\\n");
      process.exit(3);`;
    const outcome = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", program]).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(outcome).to.include({ code: 3, stdout: "first\nlast\n" });
  });

  it("a logger line is one JSON object per line", async () => {
    const chunks: string[] = [];
    const logger = createJsonLogger(
      "goals",
      batchedStdout((chunk) => chunks.push(chunk)),
    );
    logger.info("call", { method: "GetGoal", code: "OK" });
    logger.error("call", { method: "GetGoal", code: "INTERNAL" });
    await afterFlushInterval();
    const lines = chunks
      .join("")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map(({ level, service, event, method, code }) => ({ level, service, event, method, code }))).to.deep.equal([
      { level: "info", service: "goals", event: "call", method: "GetGoal", code: "OK" },
      { level: "error", service: "goals", event: "call", method: "GetGoal", code: "INTERNAL" },
    ]);
  });
});
