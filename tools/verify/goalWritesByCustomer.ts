import type { CallRecord, GoalState, History } from "./History.js";
import { writeEffect } from "./writeEffect.js";

/** A goal write that may have changed the goal. */
export interface GoalWrite {
  call: CallRecord<"CreateGoal" | "UpdateGoal">;
  /** The goal as the write's acknowledgement reported it; absent when the outcome is unknown. */
  acknowledged?: GoalState;
}

/** Every goal write that was acknowledged or whose outcome is unknown, per customer, in invocation order. */
export function goalWritesByCustomer(history: History): Map<string, GoalWrite[]> {
  const writes = new Map<string, GoalWrite[]>();
  for (const call of history.calls) {
    if ((call.method !== "CreateGoal" && call.method !== "UpdateGoal") || writeEffect(call) === "refused") continue;
    const write: GoalWrite = { call, acknowledged: call.outcome.status === "ok" ? call.outcome.response : undefined };
    const ofCustomer = writes.get(call.customerId) ?? [];
    ofCustomer.push(write);
    writes.set(call.customerId, ofCustomer);
  }
  return writes;
}

export type AcknowledgedGoalWrite = GoalWrite & { acknowledged: GoalState };

/** The acknowledged writes among `writes`, with their versions. */
export function acknowledgedWrites(writes: GoalWrite[]): AcknowledgedGoalWrite[] {
  return writes.filter((write): write is AcknowledgedGoalWrite => write.acknowledged !== undefined);
}
