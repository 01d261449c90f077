import { status } from "@grpc/grpc-js";
import type { CallRecord } from "./History.js";

/** What a write did to the service's state, as far as its caller can tell. */
export type WriteEffect = "applied" | "refused" | "unknown";

/**
 * Codes after which a write may still have committed: the answer was lost or
 * the server gave up after the fact (a deadline, a dropped connection, a crash).
 * Every other error is the service saying no, and the contract says a refused
 * write changes nothing.
 */
const OUTCOME_UNKNOWN = new Set<number>([
  status.DEADLINE_EXCEEDED,
  status.UNAVAILABLE,
  status.CANCELLED,
  status.UNKNOWN,
  status.INTERNAL,
  status.DATA_LOSS,
]);

export function writeEffect(call: CallRecord): WriteEffect {
  if (call.outcome.status === "ok") return "applied";
  return OUTCOME_UNKNOWN.has(call.outcome.code) ? "unknown" : "refused";
}

/** Whether a write may have taken effect at some instant before `time`. */
export function mayHaveTakenEffectBefore(call: CallRecord, time: number): boolean {
  return writeEffect(call) !== "refused" && call.invokedAt < time;
}
