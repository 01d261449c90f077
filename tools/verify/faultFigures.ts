import type { CallRecord, History } from "./History.js";
import type { FaultEvent } from "./injectFaults.js";
import type { NodeChangeLine } from "./startReplicas.js";

/** What one fault cost the callers. */
export interface FaultFigures {
  event: FaultEvent;
  /** Per affected replica: ms from the kill until the first call made after it succeeded through that replica. */
  firstSuccessMs: Record<string, number | undefined>;
  /** Errors of the calls invoked from the kill until the next fault (or the end), by code name. */
  errorsByCode: Record<string, number>;
  calls: number;
}

export function faultFigures(history: History, events: FaultEvent[]): FaultFigures[] {
  const sorted = [...events].sort((a, b) => a.killedAt - b.killedAt);
  return sorted.map((event, index) => {
    const windowEnd = sorted[index + 1]?.killedAt ?? Infinity;
    const inWindow = history.calls.filter((call) => call.invokedAt >= event.killedAt && call.invokedAt < windowEnd);
    const firstSuccessMs = Object.fromEntries(
      event.affected.map((replica) => {
        // Not bounded by the next fault: a replica may still be down when it comes.
        const first = history.calls
          .filter((call) => call.invokedAt >= event.killedAt)
          .filter((call) => call.replica === replica && call.outcome.status === "ok")
          .reduce<CallRecord | undefined>(
            (earliest, call) => (earliest && earliest.completedAt <= call.completedAt ? earliest : call),
            undefined,
          );
        return [replica, first ? first.completedAt - event.killedAt : undefined];
      }),
    );
    const errorsByCode: Record<string, number> = {};
    for (const call of inWindow) {
      if (call.outcome.status === "error") errorsByCode[call.outcome.codeName] = (errorsByCode[call.outcome.codeName] ?? 0) + 1;
    }
    return { event, firstSuccessMs, errorsByCode, calls: inWindow.length };
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Lines for the report: one per fault. */
export function describeFaultFigures(figures: FaultFigures[]): string[] {
  return figures.map(({ event, firstSuccessMs, errorsByCode, calls }) => {
    const recovery = Object.entries(firstSuccessMs)
      .map(([replica, ms]) => `${replica} ${ms === undefined ? "never" : seconds(ms)}`)
      .join(", ");
    const errors = Object.entries(errorsByCode)
      .sort(([, a], [, b]) => b - a)
      .map(([code, count]) => `${code} ${count}`)
      .join(", ");
    return (
      `  ${event.what} at ${seconds(event.killedAt)}, back after ${seconds(event.backAt - event.killedAt)}` +
      `${event.note ? ` (${event.note})` : ""}; first success after the kill: ${recovery || "-"}; ` +
      `until the next fault ${calls} calls, errors: ${errors || "none"}`
    );
  });
}

export interface ReplicaNodeChanges {
  label: string;
  address: string;
  changes: NodeChangeLine[];
}

/** Lines for the report: when each replica left a node and which it took instead, on the history's clock. */
export function describeNodeChanges(replicas: ReplicaNodeChanges[], startedAtEpochMs: number): string[] {
  return replicas.map(({ label, address, changes }) => {
    const moves = changes
      // The first admission at start is not a move.
      .filter((change) => change.from !== undefined || change.time >= startedAtEpochMs)
      .map((change) => {
        const at = seconds(change.time - startedAtEpochMs);
        return change.to ? `${at} to ${change.to} (${change.reason})` : `${at} left ${change.from} (${change.reason})`;
      });
    return `  ${label} (${address}): ${moves.join("; ") || "stayed on its first node"}`;
  });
}
