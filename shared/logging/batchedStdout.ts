/** How long a log line may wait for others to share its write. */
export const LOG_FLUSH_INTERVAL_MS = 20;
/** Pending text that is written at once, however young. */
const LOG_FLUSH_BYTES = 64 * 1024;

/**
 * A line writer for stdout that gathers lines for up to
 * LOG_FLUSH_INTERVAL_MS and writes them with one system call. Node writes
 * stdout to a pipe or a file synchronously, a system call per write, and each
 * write wakes the reader: one write per gRPC call cost a service about a tenth
 * of its CPU (docs/performance.md). Whatever is pending is written when the
 * process exits, on an error exit too; only a SIGKILL loses the last lines.
 */
export function batchedStdout(write: (chunk: string) => void = (chunk) => process.stdout.write(chunk)): (line: string) => void {
  let pending: string[] = [];
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const chunk = pending.join("");
    pending = [];
    pendingBytes = 0;
    write(chunk);
  };
  process.on("exit", flush);
  return (line) => {
    pending.push(line);
    pendingBytes += line.length;
    if (pendingBytes >= LOG_FLUSH_BYTES) flush();
    // unref: a pending line never keeps a finished process alive; exit writes it.
    else timer ??= setTimeout(flush, LOG_FLUSH_INTERVAL_MS).unref();
  };
}
