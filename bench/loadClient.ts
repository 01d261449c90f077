import { LatencyHistogram } from "./LatencyHistogram.js";
import type { LoadDriver } from "./LoadDriver.js";
import { errorLabel } from "./errorLabel.js";
import { LOAD_DRIVERS } from "./loadDrivers.js";
import type { FromLoadClient, LoadJob, LoadResult, ToLoadClient } from "./loadProtocol.js";

/**
 * A load generator process, forked by the bench: one Node process saturates
 * its core long before a server does, so the bench runs its load from several
 * of these. It prepares its driver, waits for the common start time, runs
 * `concurrency` loops through the warm-up and the measured window, and reports
 * a latency histogram over IPC.
 */
const send = (message: FromLoadClient) => process.send!(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PROGRESS_INTERVAL_MS = 1000;

async function runLoops(job: LoadJob, driver: LoadDriver, startAt: number): Promise<LoadResult> {
  await sleep(startAt - Date.now());
  const measureFrom = startAt + job.warmupMs;
  const measureUntil = measureFrom + job.durationMs;
  const histogram = new LatencyHistogram();
  const errors: Record<string, number> = {};
  const errorSamples: Record<string, string> = {};
  let retries = 0;
  let succeededIncludingWarmup = 0;
  const progress = { calls: 0, errors: 0 };
  let cpuAtStart = process.cpuUsage();
  const cpuMeasurementStart = setTimeout(() => (cpuAtStart = process.cpuUsage()), measureFrom - Date.now());
  const ticker = setInterval(() => send({ type: "progress", ...progress }), PROGRESS_INTERVAL_MS);

  const loop = async (index: number) => {
    while (Date.now() < measureUntil) {
      const startedAt = Date.now();
      const began = performance.now();
      try {
        const restarts = await driver.call(index);
        succeededIncludingWarmup += 1;
        progress.calls += 1;
        if (startedAt < measureFrom) continue;
        histogram.record((performance.now() - began) * 1000);
        retries += restarts;
      } catch (error) {
        progress.errors += 1;
        if (startedAt < measureFrom) continue;
        const label = errorLabel(error);
        errors[label] = (errors[label] ?? 0) + 1;
        errorSamples[label] ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, (_, index) => loop(index)));
  const cpu = process.cpuUsage(cpuAtStart);
  clearTimeout(cpuMeasurementStart);
  clearInterval(ticker);
  return {
    calls: histogram.count,
    histogram: histogram.serialize(),
    errors,
    errorSamples,
    retries,
    succeededIncludingWarmup,
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuWindowMs: Date.now() - measureFrom,
  };
}

let job: LoadJob | undefined;
let driver: LoadDriver | undefined;

process.on("message", (message: ToLoadClient) => {
  const fail = (error: unknown) => {
    send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    process.disconnect();
  };
  if (message.type === "prepare") {
    job = message.job;
    const factory = LOAD_DRIVERS[job.driver];
    if (!factory) return fail(new Error(`unknown driver ${job.driver}`));
    factory(job).then((prepared) => {
      driver = prepared;
      send({ type: "ready" });
    }, fail);
  } else if (job && driver) {
    const preparedDriver = driver;
    runLoops(job, preparedDriver, message.startAt)
      .then(async (result) => {
        send({ type: "result", result });
        await preparedDriver.close();
        process.disconnect();
      })
      .catch(fail);
  }
});
