import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { MARIADBD } from "./galeraInstalled.js";
import type { NodeLayout } from "./nodeLayout.js";

/** mariadbd refuses to run as root; started by root it switches to mysql, which owns the node's files. */
export const SERVER_USER = process.getuid?.() === 0 ? "mysql" : undefined;

export interface SpawnOptions {
  detached: boolean;
  /** --wsrep-new-cluster for the first node, --wsrep-start-position for a crashed one. */
  extraArgs: string[];
}

export function spawnNode(node: NodeLayout, { detached, extraArgs }: SpawnOptions): ChildProcess {
  const args = [`--defaults-file=${node.configFile}`, ...(SERVER_USER ? [`--user=${SERVER_USER}`] : []), ...extraArgs];
  const stderr = openSync(node.stderrLog, "a");
  try {
    // A detached node is in a process group of its own, so the CLI can exit and leave it running.
    const child = spawn(MARIADBD, args, { detached, stdio: ["ignore", "ignore", stderr] });
    if (detached) child.unref();
    return child;
  } finally {
    closeSync(stderr);
  }
}

/** A pid file outlives a SIGKILL and pids get reused: the pid counts only while it runs this node's config. */
function runsNode(pid: number, node: NodeLayout): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`--defaults-file=${node.configFile}`);
  } catch {
    return false;
  }
}

/** The pid of the node's mariadbd, from the child when this process started it, else from its pid file. */
export function runningPid(node: NodeLayout, child: ChildProcess | undefined): number | undefined {
  if (child?.pid !== undefined && runsNode(child.pid, node)) return child.pid;
  if (!existsSync(node.pidFile)) return undefined;
  const pid = Number(readFileSync(node.pidFile, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && runsNode(pid, node) ? pid : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true once the node's process is gone, false if it still runs after timeoutMs. */
export async function waitUntilGone(node: NodeLayout, pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (runsNode(pid, node)) {
    if (Date.now() > until) return false;
    await sleep(100);
  }
  return true;
}
