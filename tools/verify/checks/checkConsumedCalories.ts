import { buildMealTimelines, type MealTimeline, type MealWrite } from "../buildMealTimelines.js";
import type { CheckResult, Violation } from "../CheckResult.js";
import { concurrentWrites, MEAL_WRITES } from "../concurrentWrites.js";
import type { CallRecord, History } from "../History.js";
import { IntervalIndex } from "../IntervalIndex.js";
import { possibleMealContributions, type CallWindow, type Contribution } from "../possibleMealContributions.js";
import { reachableTotals, type DayTotal } from "../reachableTotals.js";
import { utcDay } from "../utcDay.js";

export type ConsumptionCall = CallRecord<"GetDailySummary" | "RecommendMeals">;

/** The answers that report consumed calories (checks 4 and 7 judge them). */
export function consumptionAnswers(history: History): ConsumptionCall[] {
  return history.calls.filter(
    (call): call is ConsumptionCall =>
      (call.method === "GetDailySummary" || call.method === "RecommendMeals") && call.outcome.status === "ok",
  );
}

type Judgement = { verdict: "consistent" } | { verdict: "undecided" } | { verdict: "violation"; explanation: string };

/**
 * RecommendMeals counts the meals of "today" on the server's clock: the UTC
 * day at some instant of the call, usually one day, two across midnight.
 */
export function daysOf(call: ConsumptionCall, startedAtEpochMs: number): string[] {
  if (call.method === "GetDailySummary") return [call.request.day];
  return [...new Set([utcDay(startedAtEpochMs + call.invokedAt), utcDay(startedAtEpochMs + call.completedAt)])];
}

const describeTotals = (totals: DayTotal[]) => {
  const sorted = [...totals].sort((a, b) => a.calories - b.calories || a.meals - b.meals);
  const shown = sorted.slice(0, 8).map((total) => `${total.calories} kcal/${total.meals} meals`);
  return sorted.length > shown.length ? `${shown.join(", ")}, ... (${sorted.length} in all)` : shown.join(", ");
};

/**
 * When the meal may have counted towards its day: from its create's invocation
 * until a delete was acknowledged (or the history ends). Outside that span it
 * adds nothing, so the check can leave it out.
 */
function countingSpan(timeline: MealTimeline, historyEnd: number): [number, number] {
  const deleted = timeline.changes.find((write) => write.calories === null && write.acknowledged);
  return [timeline.create.call.invokedAt, deleted?.call.completedAt ?? historyEnd];
}

function judgeConsumption(
  call: ConsumptionCall,
  mealsOfDay: (day: string) => MealTimeline[],
  startedAtEpochMs: number,
): Judgement {
  if (call.outcome.status !== "ok") return { verdict: "consistent" };
  const answer = call.outcome.response;
  const isSummary = "mealCount" in answer;
  const reachable: DayTotal[] = [];
  for (const day of daysOf(call, startedAtEpochMs)) {
    const totals = reachableTotals(mealsOfDay(day).map((timeline) => possibleMealContributions(timeline, call)));
    if (!totals) return { verdict: "undecided" };
    reachable.push(...totals);
  }
  const matches = (total: DayTotal) =>
    total.calories === answer.consumedCalories && (!isSummary || total.meals === answer.mealCount);
  if (reachable.some(matches)) return { verdict: "consistent" };
  const reported = isSummary ? `${answer.consumedCalories} kcal/${answer.mealCount} meals` : `${answer.consumedCalories} kcal`;
  const days = daysOf(call, startedAtEpochMs).join(" or ");
  return {
    verdict: "violation",
    explanation: `reports consumed ${reported} on ${days}; the meals history allows only ${describeTotals(reachable)}`,
  };
}

/**
 * The writes that decided what a meal could add during `window`: the newest
 * one acknowledged before it began, and those running with it.
 */
function decidingWrites(timeline: MealTimeline, window: CallWindow): CallRecord[] {
  const writes = [timeline.create, ...timeline.changes];
  const settled = writes.filter((write) => write.acknowledged && write.call.completedAt < window.invokedAt);
  const newestSettled =
    settled.find((write) => write.calories === null) ??
    settled.reduce<MealWrite | undefined>(
      (newest, write) => ((write.version ?? 0) > (newest?.version ?? 0) ? write : newest),
      undefined,
    );
  const running = writes.filter(
    (write) => write.call.invokedAt < window.completedAt && write.call.completedAt > window.invokedAt,
  );
  return [...(newestSettled ? [newestSettled] : []), ...running].map((write) => write.call);
}

const describeContributions = (contributions: Contribution[]) =>
  contributions.map((option) => (option.meals === 0 ? "absent" : `${option.calories} kcal`)).join(" or ");

/** A recommended meal of this run must carry calories it had at some instant of the call. */
function judgeRecommendedCalories(call: ConsumptionCall, timelineOf: (mealId: string) => MealTimeline | undefined): string[] {
  if (call.method !== "RecommendMeals" || call.outcome.status !== "ok") return [];
  return call.outcome.response.recommendations.flatMap((meal) => {
    const timeline = timelineOf(meal.mealId);
    if (!timeline) return [];
    const options = possibleMealContributions(timeline, call);
    if (options.some((option) => option.meals === 1 && option.calories === meal.calories)) return [];
    return [
      `recommends meal ${meal.mealId} at ${meal.calories} kcal; while the call ran it was ${describeContributions(options)}`,
    ];
  });
}

/**
 * Check 4: the consumed calories (and meal count) of a summary or a
 * recommendation add up from a state the meals history allows: each meal of
 * the day as it was at some instant of the call. Meals are taken each at its
 * own instant, a relaxation that keeps the search small and never flags a
 * correct answer. Recommended meals must carry calories they really had.
 */
export function checkConsumedCalories(history: History): CheckResult {
  const historyEnd = history.calls.reduce((end, call) => Math.max(end, call.completedAt), 0);
  const byCustomerDay = new Map<string, IntervalIndex<MealTimeline>>();
  const byMealId = new Map<string, MealTimeline>();
  for (const timeline of buildMealTimelines(history)) {
    const key = `${timeline.customerId}/${timeline.day}`;
    const ofDay = byCustomerDay.get(key) ?? new IntervalIndex<MealTimeline>();
    ofDay.add(timeline, ...countingSpan(timeline, historyEnd));
    byCustomerDay.set(key, ofDay);
    if (timeline.mealId !== undefined) byMealId.set(timeline.mealId, timeline);
  }
  const answers = consumptionAnswers(history);
  let undecided = 0;
  const violations: Violation[] = [];
  for (const call of answers) {
    const mealsOfDay = (day: string) =>
      byCustomerDay.get(`${call.customerId}/${day}`)?.overlapping(call.invokedAt, call.completedAt) ?? [];
    const judgement = judgeConsumption(call, mealsOfDay, history.startedAtEpochMs);
    if (judgement.verdict === "undecided") undecided += 1;
    const problems = [
      ...(judgement.verdict === "violation" ? [judgement.explanation] : []),
      ...judgeRecommendedCalories(call, (mealId) => byMealId.get(mealId)),
    ];
    if (problems.length === 0) continue;
    const days = daysOf(call, history.startedAtEpochMs);
    const witnesses = days
      .flatMap(mealsOfDay)
      .flatMap((timeline) => decidingWrites(timeline, call))
      .sort((a, b) => a.id - b.id);
    violations.push({ customerId: call.customerId, explanation: problems.join("; "), calls: [call, ...witnesses] });
  }
  return {
    title: "Consumed calories from no state the meals history allows",
    seedCases: [2],
    examined: answers.length,
    concurrent: answers.filter(concurrentWrites(history.calls, MEAL_WRITES)).length,
    undecided,
    violations,
  };
}
