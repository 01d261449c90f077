import type { Connection } from "mysql2/promise";
import type { BenchOptions } from "./benchOptions.js";
import type { CatalogShape } from "./catalog.js";

export type ServiceName = "goals" | "meals";

/** One group of load client processes running one driver. */
export interface LoadSpec {
  /** A key of LOAD_DRIVERS. */
  driver: string;
  /** Client processes; --clients when absent. */
  processes?: number;
  /** Loops across all its processes; --concurrency when absent. */
  concurrency?: number;
  hotCustomerId?: string;
}

export interface Measurement {
  label: string;
  driver: string;
  processes: number;
  concurrency: number;
  durationS: number;
  calls: number;
  callsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: Record<string, number>;
  errorSamples: Record<string, string>;
  retries: number;
  succeededIncludingWarmup: number;
  /** CPU of this spec's client processes, in percent of one core, summed. */
  clientCpuPercent: number;
}

/** What the machine did while a measurement ran. */
export interface SystemUsage {
  /** Percent of one core per process (goals, meals, echo, mariadbd, the load clients together, other). */
  cpuPercent: Record<string, number>;
  /**
   * CPU microseconds per call (all specs' calls together) per process: unlike
   * calls per second, hardly moved by whatever else shares the machine.
   */
  cpuUsPerCall: Record<string, number>;
  /** Highest resident set sampled per service process, in MB. */
  peakRssMb: Record<string, number>;
  /** InnoDB row lock waits server-wide (other clients of the server count too). */
  rowLockWaits: number;
  rowLockTimeMs: number;
  /** InnoDB buffer pool misses server-wide: pages read because the working set did not fit. */
  pageReads: number;
  /** Lines the services logged at level error: faults, not refusals the callers were meant to get. */
  serviceErrorLogs: number;
}

export interface MeasuredRun {
  measurement: Measurement;
  system: SystemUsage;
}

/** One line of the results table: a service workload beside the ceilings it cannot beat. */
export interface WorkloadRow {
  /** Stable key the targets look rows up by. */
  id: string;
  name: string;
  service: MeasuredRun;
  /** The trivial echo server answering the same clients. */
  transport?: MeasuredRun;
  /** Raw mysql2 doing the same transactions. */
  database?: MeasuredRun;
  /** The service's own repository transactions (same statements and round trips) without gRPC, where it differs from `database`. */
  sameStatements?: MeasuredRun;
  /** The least that grpc-js and mysql2 can do the same call with: the echo server doing the service's statement and nothing else. */
  floor?: MeasuredRun;
  /** The same load measured alone, for the mix. */
  baseline?: MeasuredRun;
  notes: string[];
  /** Numbers the targets read besides the measurements. */
  checks?: Record<string, number>;
}

/** What a workload can ask of the running bench. */
export interface Bench {
  readonly options: BenchOptions;
  readonly catalog: CatalogShape;
  /** A connection to the goals service's database, for checks and resets between workloads. */
  readonly goalsDb: Connection;
  /** The meals service's database, when the meals service runs. */
  readonly mealsDb?: Connection;
  /** Runs the specs side by side, each from its own client processes, and measures them. */
  measure(label: string, loads: LoadSpec[]): Promise<MeasuredRun[]>;
  /** Measures a ceiling driver; undefined when the run skips ceilings (--no-ceilings). */
  measureCeiling(label: string, load: LoadSpec): Promise<MeasuredRun | undefined>;
  /** The echo server under the default load, measured once per bench run; undefined with --no-ceilings. */
  transportCeiling(): Promise<MeasuredRun | undefined>;
  /** Adds meals (and customers with goals) until the catalog holds `meals` meals. */
  growCatalog(meals: number): Promise<void>;
}

export interface Workload {
  /** What --workloads selects it by. */
  name: string;
  /** Services it calls; it is skipped when one of them is not built. */
  services: ServiceName[];
  run(bench: Bench): Promise<WorkloadRow[]>;
}
