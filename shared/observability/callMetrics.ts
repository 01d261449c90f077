import { status, type Metadata } from "@grpc/grpc-js";
import { Status } from "@mealplan/client/gen/google/rpc/status.js";
import { ErrorInfo } from "@mealplan/client/gen/google/rpc/error_details.js";
import type { CallObserver, EndedCall } from "../grpc/interceptors/observeCalls.js";
import type { ServiceMetrics } from "./metrics.js";

/**
 * The label of every method the server does not have: a caller picks the
 * path, and one series per path it invents would grow the registry without bound.
 */
export const UNKNOWN_METHOD = "/unknown/unknown";

const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

/** The ErrorInfo reason in a status's google.rpc.Status trailer (toStatusObject writes one for every error). */
export function errorInfoReason(trailer: Metadata | undefined): string | undefined {
  const [encoded] = trailer?.get("grpc-status-details-bin") ?? [];
  if (!(encoded instanceof Buffer)) return undefined;
  try {
    const errorInfo = Status.decode(encoded).details.find((detail) => detail.typeUrl === ERROR_INFO_TYPE);
    return errorInfo === undefined ? undefined : ErrorInfo.decode(errorInfo.value).reason;
  } catch {
    return undefined;
  }
}

/**
 * Counts every call observeCalls sees, those grpc-js ends before any handler
 * included, under go-grpc-prometheus's names; and ABORTED answers by reason.
 */
export function countCalls(metrics: ServiceMetrics, isKnownMethod: (path: string) => boolean): Required<CallObserver> {
  const label = (method: string) => (isKnownMethod(method) ? method : UNKNOWN_METHOD);
  return {
    onCallStarted: (method) => metrics.callStarted(label(method)),
    onCallEnded: ({ method, code, durationSeconds, trailer }: EndedCall) => {
      metrics.callHandled(label(method), code, durationSeconds);
      if (code === status.ABORTED) metrics.answerAborted(errorInfoReason(trailer) ?? "UNKNOWN");
    },
  };
}
