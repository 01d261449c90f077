import type { CallRecord, History } from "./History.js";
import { utcDayOfIso } from "./utcDay.js";
import { writeEffect } from "./writeEffect.js";

/** A meal write that may have changed the meal. */
export interface MealWrite {
  call: CallRecord<"CreateMeal" | "UpdateMeal" | "DeleteMeal">;
  acknowledged: boolean;
  /** The calories the write leaves the meal with; null for a delete. */
  calories: number | null;
  /** The version the acknowledgement reported; unknown for a delete or an unknown outcome. */
  version?: number;
}

/** Everything that may have happened to one meal. */
export interface MealTimeline {
  customerId: string;
  /** The UTC day the meal was eaten on; the workload never moves a meal to another day. */
  day: string;
  /** Absent when the create's outcome is unknown: then no later call could name the meal. */
  mealId?: string;
  create: MealWrite;
  /** Updates and deletes, in invocation order. */
  changes: MealWrite[];
}

function mealWrite(call: MealWrite["call"]): MealWrite {
  if (call.method === "DeleteMeal") return { call, acknowledged: call.outcome.status === "ok", calories: null };
  if (call.outcome.status !== "ok") return { call, acknowledged: false, calories: call.request.calories };
  const { calories, version } = call.outcome.response;
  return { call, acknowledged: true, calories, version };
}

/**
 * One timeline per meal the workload may have created; refused writes are left
 * out, they changed nothing. A call can only name a meal after its create was
 * acknowledged, so in invocation order the create always comes first.
 */
export function buildMealTimelines(history: History): MealTimeline[] {
  const timelines: MealTimeline[] = [];
  const byMealId = new Map<string, MealTimeline>();
  for (const call of history.calls) {
    if (call.method !== "CreateMeal" && call.method !== "UpdateMeal" && call.method !== "DeleteMeal") continue;
    if (writeEffect(call) === "refused") continue;
    if (call.method === "CreateMeal") {
      const mealId = call.outcome.status === "ok" ? call.outcome.response.mealId : undefined;
      const timeline: MealTimeline = {
        customerId: call.customerId,
        day: utcDayOfIso(call.request.eatenTime),
        mealId,
        create: mealWrite(call),
        changes: [],
      };
      timelines.push(timeline);
      if (mealId !== undefined) byMealId.set(mealId, timeline);
    } else {
      byMealId.get(call.request.mealId)?.changes.push(mealWrite(call));
    }
  }
  return timelines;
}
