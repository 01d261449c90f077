import { fork, type ChildProcess } from "node:child_process";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { LatencyHistogram } from "./LatencyHistogram.js";
import type { BenchOptions } from "./benchOptions.js";
import type { CatalogShape } from "./catalog.js";
import type { FromLoadClient, LoadJob, LoadProgress, LoadResult, LoadTargets, ToLoadClient } from "./loadProtocol.js";
import { cpuMsOf, machineBusyMs, memoryMbOf } from "./processStats.js";
import type { ProgressLine } from "./ProgressLine.js";
import type { LoadSpec, MeasuredRun, Measurement, SystemUsage } from "./Workload.js";

export interface MeasureContext {
  options: BenchOptions;
  targets: LoadTargets;
  catalog: CatalogShape;
  /** Processes whose CPU is reported, by name; the services among them also have their RSS sampled. */
  watched: Record<string, number>;
  services: string[];
  /** Counts the error lines the services logged so far. */
  serviceErrorLogs: () => number;
  statusDb: Connection;
  progress: ProgressLine;
}

const LOAD_CLIENT = new URL("./loadClient.js", import.meta.url);
/** Time for every client to get the go message before the common start. */
const START_DELAY_MS = 300;
const RSS_SAMPLE_INTERVAL_MS = 250;

interface LoadClientProcess {
  child: ChildProcess;
  progress: LoadProgress;
  message(type: FromLoadClient["type"]): Promise<FromLoadClient>;
}

function startLoadClient(job: LoadJob): LoadClientProcess {
  const child = fork(LOAD_CLIENT, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const progress: LoadProgress = { calls: 0, errors: 0 };
  const waiting = new Map<string, (message: FromLoadClient) => void>();
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const resolve of waiting.values()) resolve({ type: "failed", message: failure.message });
  };
  child.on("message", (message: FromLoadClient) => {
    if (message.type === "progress") Object.assign(progress, { calls: message.calls, errors: message.errors });
    else if (message.type === "failed") failAll(new Error(`load client (${job.driver}) failed: ${message.message}`));
    else waiting.get(message.type)?.(message);
  });
  child.on("exit", (code) => failAll(new Error(`load client (${job.driver}) exited with ${code}`)));
  child.send({ type: "prepare", job } satisfies ToLoadClient);
  return {
    child,
    progress,
    message: (type) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        waiting.set(type, (message) =>
          message.type === "failed" ? reject(failure ?? new Error("load client failed")) : resolve(message),
        );
      }),
  };
}

/** Splits `total` loops over `parts` processes as evenly as possible. */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

interface InnodbCounters {
  lockWaits: number;
  lockTimeMs: number;
  /** Pages InnoDB had to read because they were not in its buffer pool. */
  pageReads: number;
}

async function innodbCounters(db: Connection): Promise<InnodbCounters> {
  const [rows] = await db.query<RowDataPacket[]>(
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_buffer_pool_reads')",
  );
  const value = (name: string) => Number(rows.find((row) => row.Variable_name === name)?.Value ?? 0);
  return {
    lockWaits: value("Innodb_row_lock_waits"),
    lockTimeMs: value("Innodb_row_lock_time"),
    pageReads: value("Innodb_buffer_pool_reads"),
  };
}

/** CPU and memory of the watched processes over the measured window. */
class UsageRecorder {
  private cpuStart: Record<string, number> = {};
  private machineStart = 0;
  private started = 0;
  private readonly peakRss: Record<string, number> = {};
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly context: MeasureContext) {
    this.sampler = setInterval(() => this.sampleRss(), RSS_SAMPLE_INTERVAL_MS);
  }

  private sampleRss(): void {
    for (const name of this.context.services) {
      const rss = memoryMbOf(this.context.watched[name], "VmRSS") ?? 0;
      this.peakRss[name] = Math.max(this.peakRss[name] ?? 0, rss);
    }
  }

  markMeasuredWindow(): void {
    this.started = Date.now();
    this.machineStart = machineBusyMs();
    this.cpuStart = Object.fromEntries(Object.entries(this.context.watched).map(([name, pid]) => [name, cpuMsOf(pid) ?? 0]));
  }

  stop(): void {
    clearInterval(this.sampler);
  }

  finish(clientCpuMs: number, calls: number): Pick<SystemUsage, "cpuPercent" | "cpuUsPerCall" | "peakRssMb"> {
    this.stop();
    this.sampleRss();
    const elapsedMs = Date.now() - this.started;
    const cpuPercent: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.context.watched)) {
      cpuPercent[name] = Math.round((((cpuMsOf(pid) ?? 0) - (this.cpuStart[name] ?? 0)) / elapsedMs) * 100);
    }
    cpuPercent["load clients"] = Math.round((clientCpuMs / elapsedMs) * 100);
    const machine = Math.round(((machineBusyMs() - this.machineStart) / elapsedMs) * 100);
    const accounted = Object.values(cpuPercent).reduce((total, value) => total + value, 0);
    // Whatever else ran on the machine meanwhile (the kernel's network work included): noise if large.
    cpuPercent.other = Math.max(0, machine - accounted);
    const cpuUsPerCall = Object.fromEntries(
      Object.entries(cpuPercent).map(([name, percent]) => [name, calls > 0 ? Math.round((percent * elapsedMs * 10) / calls) : 0]),
    );
    return {
      cpuPercent,
      cpuUsPerCall,
      peakRssMb: Object.fromEntries(Object.entries(this.peakRss).map(([name, mb]) => [name, Math.round(mb)])),
    };
  }
}

function summarize(
  label: string,
  spec: LoadSpec,
  processes: number,
  concurrency: number,
  durationS: number,
  results: LoadResult[],
): Measurement {
  const histogram = new LatencyHistogram();
  const errors: Record<string, number> = {};
  const errorSamples: Record<string, string> = {};
  for (const result of results) {
    histogram.merge(result.histogram);
    for (const [name, count] of Object.entries(result.errors)) errors[name] = (errors[name] ?? 0) + count;
    Object.assign(errorSamples, result.errorSamples);
  }
  const sum = (pick: (result: LoadResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  return {
    label,
    driver: spec.driver,
    processes,
    concurrency,
    durationS,
    calls: histogram.count,
    callsPerSecond: Math.round(histogram.count / durationS),
    p50Ms: histogram.percentileMs(50),
    p95Ms: histogram.percentileMs(95),
    p99Ms: histogram.percentileMs(99),
    errors,
    errorSamples,
    retries: sum((result) => result.retries),
    succeededIncludingWarmup: sum((result) => result.succeededIncludingWarmup),
    clientCpuPercent: Math.round(results.reduce((total, result) => total + (result.cpuMs / result.cpuWindowMs) * 100, 0)),
  };
}

/**
 * Runs each spec from its own load client processes, all starting together,
 * and measures calls, latencies and errors per spec, and CPU, memory and row
 * lock waits of the whole machine over the measured window.
 */
export async function measure(context: MeasureContext, label: string, specs: LoadSpec[]): Promise<MeasuredRun[]> {
  const { options } = context;
  const groups = specs.map((spec) => {
    const processes = spec.processes ?? options.clients;
    const concurrency = spec.concurrency ?? options.concurrency;
    const clients = split(concurrency, processes).map((loops) =>
      startLoadClient({
        driver: spec.driver,
        concurrency: loops,
        warmupMs: options.warmupS * 1000,
        durationMs: options.durationS * 1000,
        callTimeoutMs: options.callTimeoutMs,
        targets: context.targets,
        catalog: context.catalog,
        hotCustomerId: spec.hotCustomerId,
      }),
    );
    return { spec, processes, concurrency, clients };
  });
  const all = groups.flatMap((group) => group.clients);
  let usage: UsageRecorder | undefined;
  try {
    await Promise.all(all.map((client) => client.message("ready")));
    const startAt = Date.now() + START_DELAY_MS;
    const results = Promise.all(all.map((client) => client.message("result")));
    // Awaited only after the run; a client failing earlier must not count as an unhandled rejection.
    results.catch(() => undefined);
    for (const client of all) client.child.send({ type: "go", startAt } satisfies ToLoadClient);

    const recorder = (usage = new UsageRecorder(context));
    const measureFrom = startAt + options.warmupS * 1000;
    const totalMs = measureFrom + options.durationS * 1000 - startAt;
    let countersBefore = await innodbCounters(context.statusDb);
    let errorLogsBefore = context.serviceErrorLogs();
    const windowStart = setTimeout(() => {
      recorder.markMeasuredWindow();
      errorLogsBefore = context.serviceErrorLogs();
      innodbCounters(context.statusDb).then(
        (counters) => (countersBefore = counters),
        () => undefined,
      );
    }, measureFrom - Date.now());
    const ticker = setInterval(() => {
      const calls = all.reduce((total, client) => total + client.progress.calls, 0);
      const errors = all.reduce((total, client) => total + client.progress.errors, 0);
      const elapsed = Math.min(totalMs, Date.now() - startAt) / 1000;
      const phase = Date.now() < measureFrom ? "warm-up" : "measuring";
      context.progress.update(`  ${label}: ${phase} ${elapsed.toFixed(0)}/${totalMs / 1000} s, ${calls} calls, ${errors} errors`);
    }, 500);
    let settled: LoadResult[];
    try {
      settled = (await results).map((message) => (message as { result: LoadResult }).result);
    } finally {
      clearTimeout(windowStart);
      clearInterval(ticker);
    }
    const countersAfter = await innodbCounters(context.statusDb);
    const clientCpuMs = settled.reduce((total, result) => total + result.cpuMs, 0);
    // Calls started in the measured window; the CPU window also covers their tail, which is short.
    const calls = settled.reduce(
      (total, result) => total + result.calls + Object.values(result.errors).reduce((a, b) => a + b, 0),
      0,
    );
    const system: SystemUsage = {
      ...recorder.finish(clientCpuMs, calls),
      rowLockWaits: countersAfter.lockWaits - countersBefore.lockWaits,
      rowLockTimeMs: countersAfter.lockTimeMs - countersBefore.lockTimeMs,
      pageReads: countersAfter.pageReads - countersBefore.pageReads,
      serviceErrorLogs: context.serviceErrorLogs() - errorLogsBefore,
    };
    let offset = 0;
    return groups.map(({ spec, processes, concurrency, clients }) => {
      const own = settled.slice(offset, (offset += clients.length));
      const measurement = summarize(
        specs.length > 1 ? `${label}: ${spec.driver}` : label,
        spec,
        processes,
        concurrency,
        options.durationS,
        own,
      );
      context.progress.print(
        `  ${measurement.label}: ${measurement.callsPerSecond} calls/s, p50 ${measurement.p50Ms.toFixed(2)} ms, ` +
          `p99 ${measurement.p99Ms.toFixed(2)} ms, errors ${JSON.stringify(measurement.errors)}, CPU ${JSON.stringify(system.cpuPercent)}`,
      );
      return { measurement, system };
    });
  } finally {
    usage?.stop();
    for (const client of all) if (client.child.exitCode === null) client.child.kill();
  }
}
