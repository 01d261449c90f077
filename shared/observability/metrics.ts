import { status } from "@grpc/grpc-js";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** What the database pool looks like at scrape time. */
export interface DatabasePoolUsage {
  connectionsInUse: number;
  callersWaiting: number;
}

export interface ServiceMetricsOptions {
  /** Read at each scrape: the pool's numbers cost nothing between scrapes. */
  databasePool?: () => DatabasePoolUsage;
}

/** go-grpc-prometheus's grpc_type values; every method of this project is unary. */
export type GrpcType = "unary" | "client_stream" | "server_stream" | "bidi_stream";

/**
 * Status codes as go-grpc-prometheus writes grpc_code (Go's codes.Code names),
 * so dashboards and alerts written for it work here unchanged.
 */
const GRPC_CODE_NAMES: Record<status, string> = {
  [status.OK]: "OK",
  [status.CANCELLED]: "Canceled",
  [status.UNKNOWN]: "Unknown",
  [status.INVALID_ARGUMENT]: "InvalidArgument",
  [status.DEADLINE_EXCEEDED]: "DeadlineExceeded",
  [status.NOT_FOUND]: "NotFound",
  [status.ALREADY_EXISTS]: "AlreadyExists",
  [status.PERMISSION_DENIED]: "PermissionDenied",
  [status.RESOURCE_EXHAUSTED]: "ResourceExhausted",
  [status.FAILED_PRECONDITION]: "FailedPrecondition",
  [status.ABORTED]: "Aborted",
  [status.OUT_OF_RANGE]: "OutOfRange",
  [status.UNIMPLEMENTED]: "Unimplemented",
  [status.INTERNAL]: "Internal",
  [status.UNAVAILABLE]: "Unavailable",
  [status.DATA_LOSS]: "DataLoss",
  [status.UNAUTHENTICATED]: "Unauthenticated",
};

export function grpcCodeName(code: status): string {
  return GRPC_CODE_NAMES[code] ?? "Unknown";
}

/** InnoDB errors after which a transaction runs again (shared/database/databaseErrors.ts), by the reason label they get. */
const RETRY_REASONS: Record<number, string> = {
  1213: "deadlock",
  1205: "lock_wait_timeout",
  1020: "snapshot",
};

/** `/mealplan.goals.v1.GoalsService/GetGoal` → service `mealplan.goals.v1.GoalsService`, method `GetGoal`. */
export function splitMethodPath(methodPath: string): { service: string; method: string } {
  const path = methodPath.startsWith("/") ? methodPath.slice(1) : methodPath;
  const slash = path.lastIndexOf("/");
  return { service: path.slice(0, slash), method: path.slice(slash + 1) };
}

const SERVER_LABELS = ["grpc_type", "grpc_service", "grpc_method"] as const;

/**
 * A service's Prometheus metrics, in a registry of its own (two services in
 * one test process must not share counters). Callers say what happened;
 * only this module knows metric names, labels and prom-client.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  private readonly started = new Counter({
    name: "grpc_server_started_total",
    help: "Total number of RPCs started on the server.",
    labelNames: SERVER_LABELS,
    registers: [this.registry],
  });
  private readonly handled = new Counter({
    name: "grpc_server_handled_total",
    help: "Total number of RPCs completed on the server, regardless of success or failure.",
    labelNames: [...SERVER_LABELS, "grpc_code"],
    registers: [this.registry],
  });
  private readonly handlingSeconds = new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
    labelNames: SERVER_LABELS,
    registers: [this.registry],
  });
  private readonly transactionRetries = new Counter({
    name: "mealplan_transaction_retries_total",
    help: "Transactions run again after the database rolled them back (deadlock, lock wait timeout, snapshot conflict).",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  private readonly versionProtocolRestarts = new Counter({
    name: "mealplan_version_protocol_restarts_total",
    help: "Answers computed again because something they read changed before it was held: a picked meal before its lock, or, on Galera, the goal around the snapshot.",
    registers: [this.registry],
  });
  private readonly abortedAnswers = new Counter({
    name: "mealplan_aborted_answers_total",
    help: "Calls answered ABORTED after the retries or restarts ran out, by the ErrorInfo reason they carried.",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  private readonly goalsClientCalls = new Counter({
    name: "mealplan_goals_client_calls_total",
    help: "Calls the meals service made to the goals service, by the status they ended with.",
    labelNames: ["grpc_code"],
    registers: [this.registry],
  });

  constructor({ databasePool }: ServiceMetricsOptions = {}) {
    collectDefaultMetrics({ register: this.registry });
    if (databasePool !== undefined) {
      new Gauge({
        name: "mealplan_db_pool_connections_in_use",
        help: "Database connections lent to a call right now.",
        registers: [this.registry],
        collect() {
          this.set(databasePool().connectionsInUse);
        },
      });
      new Gauge({
        name: "mealplan_db_pool_callers_waiting",
        help: "Calls waiting for a database connection right now.",
        registers: [this.registry],
        collect() {
          this.set(databasePool().callersWaiting);
        },
      });
    }
  }

  callStarted(methodPath: string, type: GrpcType = "unary"): void {
    const { service, method } = splitMethodPath(methodPath);
    this.started.inc({ grpc_type: type, grpc_service: service, grpc_method: method });
  }

  callHandled(methodPath: string, code: status, seconds: number, type: GrpcType = "unary"): void {
    const { service, method } = splitMethodPath(methodPath);
    const labels = { grpc_type: type, grpc_service: service, grpc_method: method };
    this.handled.inc({ ...labels, grpc_code: grpcCodeName(code) });
    this.handlingSeconds.observe(labels, seconds);
  }

  /** `errno` of the driver error that rolled the transaction back. */
  transactionRetried(errno: number): void {
    this.transactionRetries.inc({ reason: RETRY_REASONS[errno] ?? "other" });
  }

  versionProtocolRestarted(): void {
    this.versionProtocolRestarts.inc();
  }

  /** `reason`: the ErrorInfo reason of the ABORTED answer, e.g. TRANSACTION_ABORTED or GOAL_KEPT_CHANGING. */
  answerAborted(reason: string): void {
    this.abortedAnswers.inc({ reason });
  }

  goalsClientCallEnded(code: status): void {
    this.goalsClientCalls.inc({ grpc_code: grpcCodeName(code) });
  }

  /** The Prometheus text exposition of every metric, and the Content-Type to serve it with. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
