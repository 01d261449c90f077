import type { MealTimeline } from "./buildMealTimelines.js";

export interface CallWindow {
  invokedAt: number;
  completedAt: number;
}

/** What one meal may add to its day at some instant: no meal (not yet created, or deleted), or one meal of some calories. */
export interface Contribution {
  meals: 0 | 1;
  calories: number;
}

const NO_MEAL: Contribution = { meals: 0, calories: 0 };

/**
 * The states the meal may have been in at some instant inside `window`.
 *
 * A write counts if it may have taken effect before the window closed (it was
 * invoked before then). It is ruled out if a later version was acknowledged
 * before the window opened, or the meal was deleted by then. A write whose
 * outcome is unknown has no known version, so nothing but a delete rules it out.
 */
export function possibleMealContributions(timeline: MealTimeline, { invokedAt, completedAt }: CallWindow): Contribution[] {
  const writes = [timeline.create, ...timeline.changes].filter((write) => write.call.invokedAt < completedAt);
  if (writes.length === 0) return [NO_MEAL];
  const settled = writes.filter((write) => write.acknowledged && write.call.completedAt < invokedAt);
  if (settled.some((write) => write.calories === null)) return [NO_MEAL];

  const newestSettledVersion = settled.reduce((newest, write) => Math.max(newest, write.version ?? 0), 0);
  const mayBeAbsent = !settled.includes(timeline.create) || writes.some((write) => write.calories === null);
  const calories = writes.flatMap((write) =>
    write.calories !== null && (write.version === undefined || write.version >= newestSettledVersion) ? [write.calories] : [],
  );
  const present = [...new Set(calories)].sort((a, b) => a - b).map((value): Contribution => ({ meals: 1, calories: value }));
  return mayBeAbsent ? [NO_MEAL, ...present] : present;
}
