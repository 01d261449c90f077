import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { batchedStdout } from "../../shared/logging/batchedStdout.js";
import { createJsonLogger } from "../../shared/logging/Logger.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("logging: batched stdout", () => {
  it("writes the lines of one event-loop turn with one write, in order, once the turn is over", async () => {
    const chunks: string[] = [];
    const write = batchedStdout((chunk) => chunks.push(chunk));
    write("a\n");
    write("b\n");
    expect(chunks, "nothing written within the turn").to.deep.equal([]);
    await nextTurn();
    write("c\n");
    await nextTurn();
    expect(chunks).to.deep.equal(["a\nb\n", "c\n"]);
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
    const logger = createJsonLogger("goals", batchedStdout((chunk) => chunks.push(chunk)));
    logger.info("call", { method: "GetGoal", code: "OK" });
    logger.error("call", { method: "GetGoal", code: "INTERNAL" });
    await nextTurn();
    const lines = chunks.join("").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines.map(({ level, service, event, method, code }) => ({ level, service, event, method, code }))).to.deep.equal([
      { level: "info", service: "goals", event: "call", method: "GetGoal", code: "OK" },
      { level: "error", service: "goals", event: "call", method: "GetGoal", code: "INTERNAL" },
    ]);
  });
});
