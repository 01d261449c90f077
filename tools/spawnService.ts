import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface SpawnedService {
  child: ChildProcess;
  port: number;
  /** The metrics endpoint's port, when METRICS_LISTEN asked for one. */
  metricsPort: number | undefined;
  /** Every JSON log line the process wrote so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
}

const DIST = fileURLToPath(new URL("../", import.meta.url));

/**
 * V8 heap bounds for the services. Left alone, V8 lets the heap of a busy
 * service grow past 200 MB before collecting; the live data is a few tens of
 * MB, so a smaller young generation and a capped old space hold peak RSS
 * near 120 MB (docs/performance.md).
 */
export const SERVICE_NODE_FLAGS = ["--max-semi-space-size=8", "--max-old-space-size=128"];

/**
 * Traces the service when its OTEL_* variables ask for it, and costs nothing
 * otherwise; only an --import can register the loader hook before grpc-js and
 * mysql2 load (shared/observability/tracing.ts).
 */
export const TRACING_NODE_FLAGS = ["--import", `${DIST}shared/observability/registerTracing.js`];

/**
 * Starts `services/<name>/main.js` as its own process and resolves once it
 * logs that it is listening (GOALS_LISTEN/MEALS_LISTEN may ask for port 0).
 */
export function spawnService(
  name: "goals" | "meals",
  env: Record<string, string>,
  startTimeoutMs = 30000,
): Promise<SpawnedService> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...TRACING_NODE_FLAGS, `${DIST}services/${name}/main.js`], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within ${startTimeoutMs} ms: ${stderr}`));
    }, startTimeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.event === "listening") {
        clearTimeout(timer);
        const metricsPort = logs.find((line) => line.event === "serving metrics")?.port;
        resolve({
          child,
          port: Number(entry.port),
          metricsPort: metricsPort === undefined ? undefined : Number(metricsPort),
          logs,
          exited,
        });
      }
    });
  });
}
