import { pino } from "pino";
import type { LogDestination } from "./Logger.js";

/** How long a log line may wait for others to share its write. */
export const LOG_FLUSH_INTERVAL_MS = 20;
/** Pending text that is written at once, however young. */
export const LOG_FLUSH_BYTES = 32 * 1024;

/**
 * A log destination for stdout (or another file descriptor) that gathers
 * lines for up to LOG_FLUSH_INTERVAL_MS and writes them with one system call.
 * A write per line woke the reader each time and cost a service about a tenth
 * of its CPU (docs/performance.md). The batches are written synchronously, so
 * none is ever in flight when the process exits: whatever is pending is
 * written on exit, on an error exit too; only a SIGKILL loses the last lines.
 */
export function batchedStdout(fd = 1): LogDestination {
  // pino's destination (sonic-boom) buffers up to minLength; the timer bounds how long a quiet service's line waits.
  const output = pino.destination({ dest: fd, sync: true, minLength: LOG_FLUSH_BYTES, maxWrite: 2 * LOG_FLUSH_BYTES });
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    output.flush();
  };
  process.on("exit", () => output.flushSync());
  return {
    write(line) {
      output.write(line);
      // unref: a pending line never keeps a finished process alive; exit writes it.
      timer ??= setTimeout(flush, LOG_FLUSH_INTERVAL_MS).unref();
    },
  };
}
