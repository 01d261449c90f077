/**
 * A line writer for stdout that gathers the lines of one turn of the event
 * loop and writes them with one system call. Node writes stdout to a pipe or
 * a file synchronously, a system call per write: one log line per gRPC call
 * cost a service about a tenth of its CPU (docs/performance.md). Lines wait at
 * most until the current turn's callbacks have run, and whatever is pending
 * is written when the process exits.
 */
export function batchedStdout(write: (chunk: string) => void = (chunk) => process.stdout.write(chunk)): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const chunk = pending.join("");
    pending = [];
    write(chunk);
  };
  process.on("exit", flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}
