import { buildMealTimelines, type MealTimeline } from "../buildMealTimelines.js";
import type { CheckResult, Violation } from "../CheckResult.js";
import { concurrentWrites, GOAL_WRITES, MEAL_WRITES } from "../concurrentWrites.js";
import { acknowledgedWrites, goalWritesByCustomer, type AcknowledgedGoalWrite } from "../goalWritesByCustomer.js";
import type { CallRecord, History } from "../History.js";
import { IntervalIndex } from "../IntervalIndex.js";
import { possibleMealContributions, type CallWindow } from "../possibleMealContributions.js";
import { reachableTotals, type DayTotal } from "../reachableTotals.js";
import { goalObservations } from "../goalObservations.js";
import { consumptionAnswers, daysOf } from "./checkConsumedCalories.js";

/**
 * When each version of a customer's goal may have been current: from the
 * invocation of the write that produced it (or always, when no acknowledged
 * write did) until a newer version was acknowledged (or forever).
 */
class VersionSpans {
  private readonly byVersion: AcknowledgedGoalWrite[];
  /** earliestAckFrom[i]: the earliest acknowledgement among byVersion[i..], of that version or a newer one. */
  private readonly earliestAckFrom: number[];

  constructor(writes: AcknowledgedGoalWrite[]) {
    this.byVersion = [...writes].sort((a, b) => a.acknowledged.version - b.acknowledged.version);
    this.earliestAckFrom = new Array<number>(this.byVersion.length + 1).fill(Infinity);
    for (let index = this.byVersion.length - 1; index >= 0; index--) {
      this.earliestAckFrom[index] = Math.min(this.byVersion[index].call.completedAt, this.earliestAckFrom[index + 1]);
    }
  }

  /** From when until when `version` may have been current, and the writes that say so. */
  span(version: number): { from: number; until: number; witnesses: CallRecord[] } {
    const producer = this.byVersion.find((write) => write.acknowledged.version === version);
    const firstNewer = this.byVersion.findIndex((write) => write.acknowledged.version > version);
    const until = firstNewer < 0 ? Infinity : this.earliestAckFrom[firstNewer];
    const replacer = this.byVersion.slice(Math.max(firstNewer, 0)).find((write) => write.call.completedAt === until);
    return {
      from: producer?.call.invokedAt ?? -Infinity,
      until,
      witnesses: [producer, firstNewer < 0 ? undefined : replacer].flatMap((write) => (write ? [write.call] : [])),
    };
  }
}

const describeTotals = (totals: DayTotal[]) =>
  [...new Set(totals.map((total) => total.calories))]
    .sort((a, b) => a - b)
    .slice(0, 8)
    .map((calories) => `${calories} kcal`)
    .join(", ");

const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(3)} s` : ms > 0 ? "the end" : "the start");

/**
 * Check 7: a summary or a recommendation is one answer, true at one instant.
 * Inside the call's window there must be an instant at which the goal version
 * it reports was current AND its consumed calories (and meal count) were what
 * the day's meals added up to. Checks 2 and 4 ask each half on its own, over
 * the whole window: an answer that took the meals from before a change and the
 * goal from after another passes both, and fails this one.
 *
 * The instants the version may have been current are bounded as check 2
 * bounds them; the meals are then judged as check 4 judges them, but only over
 * those instants. Each write may take effect anywhere in its own window, so a
 * correct answer is never flagged. Only answers that report the current goal
 * are judged, as in check 2: a summary of a day that is over reports the goal
 * that day ended with, settled, which need not be current at all (check 6
 * judges it, and check 4 its meals).
 */
export function checkOneInstant(history: History): CheckResult {
  const historyEnd = history.calls.reduce((end, call) => Math.max(end, call.completedAt), 0);
  const spansByCustomer = new Map(
    [...goalWritesByCustomer(history)].map(([customerId, writes]) => [customerId, new VersionSpans(acknowledgedWrites(writes))]),
  );
  const noWrites = new VersionSpans([]);
  const byCustomerDay = new Map<string, IntervalIndex<MealTimeline>>();
  for (const timeline of buildMealTimelines(history)) {
    const key = `${timeline.customerId}/${timeline.day}`;
    const ofDay = byCustomerDay.get(key) ?? new IntervalIndex<MealTimeline>();
    const deleted = timeline.changes.find((write) => write.calories === null && write.acknowledged);
    ofDay.add(timeline, timeline.create.call.invokedAt, deleted?.call.completedAt ?? historyEnd);
    byCustomerDay.set(key, ofDay);
  }
  const reportingCurrentGoal = new Set(goalObservations(history).map((observation) => observation.call));
  const answers = consumptionAnswers(history).filter((call) => reportingCurrentGoal.has(call));
  let undecided = 0;
  const violations: Violation[] = [];
  for (const call of answers) {
    if (call.outcome.status !== "ok") continue;
    const answer = call.outcome.response;
    const span = (spansByCustomer.get(call.customerId) ?? noWrites).span(answer.goalVersion);
    const window: CallWindow = {
      invokedAt: Math.max(call.invokedAt, span.from),
      completedAt: Math.min(call.completedAt, span.until),
    };
    // Never current during the call at all: check 2's violation, not this check's.
    if (window.invokedAt > window.completedAt) continue;
    const reachable: DayTotal[] = [];
    const mealWrites: CallRecord[] = [];
    let decided = true;
    for (const day of daysOf(call, history.startedAtEpochMs)) {
      const meals = byCustomerDay.get(`${call.customerId}/${day}`)?.overlapping(window.invokedAt, window.completedAt) ?? [];
      mealWrites.push(...meals.flatMap((timeline) => [timeline.create, ...timeline.changes].map((write) => write.call)));
      const totals = reachableTotals(meals.map((timeline) => possibleMealContributions(timeline, window)));
      if (!totals) decided = false;
      else reachable.push(...totals);
    }
    if (!decided) {
      undecided += 1;
      continue;
    }
    const isSummary = "mealCount" in answer;
    const matches = (total: DayTotal) =>
      total.calories === answer.consumedCalories && (!isSummary || total.meals === answer.mealCount);
    if (reachable.some(matches)) continue;
    violations.push({
      customerId: call.customerId,
      explanation:
        `reports goal version ${answer.goalVersion} and consumed ${answer.consumedCalories} kcal, but while version ` +
        `${answer.goalVersion} may have been current (${seconds(window.invokedAt)} to ${seconds(window.completedAt)}) ` +
        `the day's meals added up only to ${describeTotals(reachable) || "nothing"}`,
      calls: [call, ...[...span.witnesses, ...mealWrites].sort((a, b) => a.id - b.id)],
    });
  }
  return {
    title: "Goal version and consumed calories true at no common instant",
    seedCases: [1, 2],
    examined: answers.length,
    concurrent: answers.filter(concurrentWrites(history.calls, [...GOAL_WRITES, ...MEAL_WRITES])).length,
    undecided,
    violations,
  };
}
