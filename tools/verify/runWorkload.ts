import { SeededRandom } from "./SeededRandom.js";
import { WorkloadClient, type WorkloadContext } from "./WorkloadClient.js";

export interface WorkloadProgress {
  elapsedMs: number;
  durationMs: number;
  calls: number;
  errors: number;
}

export interface WorkloadOptions {
  context: WorkloadContext;
  durationMs: number;
  clients: number;
  seed: number;
  onProgress?: (progress: WorkloadProgress) => void;
  progressIntervalMs?: number;
}

/**
 * Runs `clients` concurrent clients until `durationMs` has passed; each
 * finishes the call it is in, so no call of the history is left open.
 * Resolves with how long the workload really ran.
 */
export async function runWorkload({
  context,
  durationMs,
  clients,
  seed,
  onProgress,
  progressIntervalMs = 1000,
}: WorkloadOptions): Promise<number> {
  const started = performance.now();
  const end = started + durationMs;
  const report = () =>
    onProgress?.({
      elapsedMs: performance.now() - started,
      durationMs,
      calls: context.recorder.callCount,
      errors: context.recorder.errorCount,
    });
  const ticker = setInterval(report, progressIntervalMs);
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, index) => {
        const client = new WorkloadClient(index, new SeededRandom(SeededRandom.derive(seed, index)), context);
        while (performance.now() < end) await client.step();
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  report();
  return performance.now() - started;
}
