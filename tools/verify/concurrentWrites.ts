import type { CallRecord, Method } from "./History.js";
import { IntervalIndex } from "./IntervalIndex.js";
import { writeEffect } from "./writeEffect.js";

export const GOAL_WRITES: Method[] = ["CreateGoal", "UpdateGoal"];
export const MEAL_WRITES: Method[] = ["CreateMeal", "UpdateMeal", "DeleteMeal"];

/**
 * Tells whether a call ran while another call of the same customer may have
 * written what it depends on: the calls that could have gone wrong, as
 * opposed to the ones the workload let run alone.
 */
export function concurrentWrites(calls: CallRecord[], methods: Method[]): (call: CallRecord) => boolean {
  const byCustomer = new Map<string, IntervalIndex<CallRecord>>();
  for (const call of calls) {
    if (!methods.includes(call.method) || writeEffect(call) === "refused") continue;
    const index = byCustomer.get(call.customerId) ?? new IntervalIndex<CallRecord>();
    index.add(call, call.invokedAt, call.completedAt);
    byCustomer.set(call.customerId, index);
  }
  return (call) =>
    (byCustomer.get(call.customerId)?.overlapping(call.invokedAt, call.completedAt) ?? []).some(
      (write) => write.id !== call.id && write.invokedAt < call.completedAt && call.invokedAt < write.completedAt,
    );
}
