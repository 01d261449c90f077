import { existsSync, readFileSync, statSync } from "node:fs";

const TAIL_LINES = 25;

/** How far a log has been written; what a node logs from now on starts at this offset. */
export function logSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

export function readLogFrom(file: string, offset: number): string {
  return existsSync(file) ? readFileSync(file).subarray(offset).toString("utf8") : "";
}

/** The last lines of each log that has any, headed by its path: what an error about a node should show. */
export function tailOfLogs(files: string[]): string {
  return files
    .map((file) => ({ file, lines: readLogFrom(file, 0).trimEnd().split("\n").slice(-TAIL_LINES) }))
    .filter(({ lines }) => lines.join("") !== "")
    .map(({ file, lines }) => `--- tail of ${file}\n${lines.join("\n")}`)
    .join("\n");
}
