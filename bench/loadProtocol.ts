import type { MysqlServerAddress } from "../shared/config/environmentParsers.js";
import type { SerializedHistogram } from "./LatencyHistogram.js";
import type { CatalogShape } from "./catalog.js";
import type { ClientCertificateFiles } from "./secureTransport.js";

/** Where a load client sends its calls; ceilings that bypass the services go to the databases. */
export interface LoadTargets {
  goals?: string;
  meals?: string;
  echo?: string;
  mysql: MysqlServerAddress;
  goalsDatabase: string;
  mealsDatabase?: string;
  /** With --secure: the services require mTLS, and load clients present these. */
  clientCertificates?: ClientCertificateFiles;
}

export interface LoadJob {
  /** A key of LOAD_DRIVERS. */
  driver: string;
  /** Loops this process runs side by side, each with one call in flight. */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  callTimeoutMs: number;
  targets: LoadTargets;
  catalog: CatalogShape;
  /** The goal row the read-change-write drivers contend on. */
  hotCustomerId?: string;
}

export type ToLoadClient = { type: "prepare"; job: LoadJob } | { type: "go"; startAt: number };

export interface LoadProgress {
  calls: number;
  errors: number;
}

export interface LoadResult {
  /** Calls that started inside the measured window and succeeded. */
  calls: number;
  /** Latencies of those calls. */
  histogram: SerializedHistogram;
  /** Calls that started inside the measured window and failed, by gRPC status or driver error code. */
  errors: Record<string, number>;
  /** One message per error label, to tell what went wrong without logs. */
  errorSamples: Record<string, string>;
  /** Times a read-change-write loop had to start over inside the measured window. */
  retries: number;
  /** Every success, warm-up included: what the lost-update check compares against the database. */
  succeededIncludingWarmup: number;
  /** CPU this client process used from the start of the measured window until its last call returned. */
  cpuMs: number;
  cpuWindowMs: number;
}

export type FromLoadClient =
  | { type: "ready" }
  | ({ type: "progress" } & LoadProgress)
  | { type: "result"; result: LoadResult }
  | { type: "failed"; message: string };
