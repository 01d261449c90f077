import { writeFileSync } from "node:fs";
import { violationCount } from "./checkHistory.js";
import { describeFaultFigures, describeNodeChanges } from "./faultFigures.js";
import { formatReport } from "./formatReport.js";
import { parseVerifyArgs, UsageError, VERIFY_HELP, type VerifyCommand } from "./parseVerifyArgs.js";
import type { WorkloadProgress } from "./runWorkload.js";
import { runVerification } from "./runVerification.js";

const EXIT_VIOLATIONS = 1;
const EXIT_NOT_VERIFIED = 2;

/** On a terminal one line rewritten in place; in a log, a line every few seconds. */
function progressPrinter(): (progress: WorkloadProgress) => void {
  const interactive = process.stderr.isTTY === true;
  let lastPrinted = -Infinity;
  return ({ elapsedMs, durationMs, calls, errors }) => {
    const done = elapsedMs >= durationMs;
    if (!interactive && !done && elapsedMs - lastPrinted < 5000) return;
    lastPrinted = elapsedMs;
    const seconds = `${(Math.min(elapsedMs, durationMs) / 1000).toFixed(0)}/${(durationMs / 1000).toFixed(0)} s`;
    const line = `verify: ${seconds}, ${calls.toLocaleString("en-US")} calls, ${errors.toLocaleString("en-US")} errors`;
    process.stderr.write(interactive ? `\r${line}${done ? "\n" : ""}` : `${line}\n`);
  };
}

function parse(): VerifyCommand {
  try {
    return parseVerifyArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`verify: ${error.message}\nSee --help.\n`);
    process.exit(EXIT_NOT_VERIFIED);
  }
}

const command = parse();
if (command.help) {
  process.stdout.write(VERIFY_HELP);
} else {
  try {
    const run = await runVerification(command.settings, progressPrinter());
    if (command.saveHistoryTo) writeFileSync(command.saveHistoryTo, JSON.stringify(run.history));
    process.stdout.write(`${formatReport(run)}\n`);
    if (run.faults) process.stdout.write(`\nFaults injected:\n${describeFaultFigures(run.faults).join("\n")}\n`);
    if (run.conflicts) {
      const perNode = run.conflicts.map(
        (node) =>
          `node ${node.node}: ${node.certificationFailures} failed certification, ${node.bruteForceAborts} brute-force aborted`,
      );
      process.stdout.write(
        `\nTransactions Galera rolled back for conflicts across nodes (each retried whole): ${perNode.join("; ")}\n`,
      );
    }
    if (run.nodeChanges) {
      const lines = describeNodeChanges(run.nodeChanges, run.history.startedAtEpochMs);
      process.stdout.write(`\nDatabase nodes the replicas moved between:\n${lines.join("\n")}\n`);
    }
    process.exitCode = violationCount(run.results) > 0 ? EXIT_VIOLATIONS : 0;
  } catch (error) {
    process.stderr.write(`verify could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_NOT_VERIFIED;
  }
}
