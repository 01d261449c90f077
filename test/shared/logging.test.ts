import { expect } from "chai";
import { execFile } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { batchedStdout, LOG_FLUSH_BYTES, LOG_FLUSH_INTERVAL_MS } from "../../shared/logging/batchedStdout.js";
import { captureLogger } from "../harness/captureLogger.js";

const afterFlushInterval = () => new Promise((resolve) => setTimeout(resolve, LOG_FLUSH_INTERVAL_MS * 2));

/** Runs a module program in a child node process; resolves with its exit code and stdout whatever the code. */
async function runProgram(program: string): Promise<{ code: number; stdout: string }> {
  return promisify(execFile)(process.execPath, ["--input-type=module", "-e", program]).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

const loggerModule = JSON.stringify(fileURLToPath(new URL("../../shared/logging/Logger.js", import.meta.url)));
const batchedStdoutModule = JSON.stringify(fileURLToPath(new URL("../../shared/logging/batchedStdout.js", import.meta.url)));

describe("logging: JSON lines", () => {
  it("writes time, level as a word, service, event and the fields, one JSON object per line", () => {
    const { logger, lines } = captureLogger("goals");
    logger.info("call", { method: "GetGoal", code: "OK", duration_ms: 3, retried: false, customer_id: undefined });
    logger.warn("plaintext on a non-loopback address", { address: "0.0.0.0:50051" });
    logger.error("call", { method: "GetGoal", code: "UNKNOWN" });
    expect(lines.map(({ time: _time, ...rest }) => rest)).to.deep.equal([
      { level: "info", service: "goals", event: "call", method: "GetGoal", code: "OK", duration_ms: 3, retried: false },
      { level: "warn", service: "goals", event: "plaintext on a non-loopback address", address: "0.0.0.0:50051" },
      { level: "error", service: "goals", event: "call", method: "GetGoal", code: "UNKNOWN" },
    ]);
    for (const { time } of lines) expect(new Date(String(time)).toISOString()).to.equal(time);
  });

  it("has no trace_id or span_id outside a traced call", () => {
    const { logger, lines } = captureLogger("meals");
    logger.info("listening");
    expect(lines[0]).to.not.have.any.keys("trace_id", "span_id");
  });
});

describe("logging: batched stdout", () => {
  let file: string;
  let fd: number;

  beforeEach(() => {
    file = join(tmpdir(), `mealplan-log-${process.pid}-${Date.now()}.log`);
    fd = openSync(file, "w");
  });
  afterEach(() => closeSync(fd));

  it("writes the lines of one flush interval together, in order, once the interval is over", async () => {
    const output = batchedStdout(fd);
    output.write("a\n");
    await new Promise((resolve) => setImmediate(resolve));
    output.write("b\n");
    expect(readFileSync(file, "utf8"), "nothing written within the interval").to.equal("");
    await afterFlushInterval();
    expect(readFileSync(file, "utf8")).to.equal("a\nb\n");
    output.write("c\n");
    await afterFlushInterval();
    expect(readFileSync(file, "utf8")).to.equal("a\nb\nc\n");
  });

  it("writes at once when a large amount is pending", () => {
    const output = batchedStdout(fd);
    const line = `${"x".repeat(1023)}\n`;
    for (let i = 0; i < LOG_FLUSH_BYTES / 1024; i++) output.write(line);
    expect(readFileSync(file, "utf8")).to.have.length(LOG_FLUSH_BYTES);
  });

  it("writes what is pending when the process exits at once", async () => {
    const program = `import { batchedStdout } from ${batchedStdoutModule};
      const output = batchedStdout();
      output.write("first\\n");
      output.write("last\\n");
      process.exit(3);`;
    expect(await runProgram(program)).to.deep.equal({ code: 3, stdout: "first\nlast\n" });
  });

  it("writes what is pending when the process dies of an uncaught error", async () => {
    const program = `import { createJsonLogger } from ${loggerModule};
      import { batchedStdout } from ${batchedStdoutModule};
      const logger = createJsonLogger("goals", batchedStdout());
      logger.info("listening", { port: 50051 });
      logger.error("failed to start", { error: "boom" });
      throw new Error("boom");`;
    const { code, stdout } = await runProgram(program);
    expect(code).to.equal(1);
    const lines = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ level, service, event }) => ({ level, service, event }))).to.deep.equal([
      { level: "info", service: "goals", event: "listening" },
      { level: "error", service: "goals", event: "failed to start" },
    ]);
  });
});
