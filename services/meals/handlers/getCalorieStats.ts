import { checkCustomerId, checkIntegerRange } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { GetCalorieStatsRequest, GetCalorieStatsResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { addDays, localDateOf, checkTimeZone, timeZoneOrUtc } from "../domain/calendar.js";
import { calendarDays, dailySeries } from "../domain/dailySeries.js";
import { GoalTimeline } from "../domain/goalOfDay.js";
import type { GoalsGateway } from "../goals/GoalsGateway.js";
import { noGoalInPeriod } from "../mealErrors.js";
import type { MealRow } from "../repository/mealRows.js";
import type { MealRepository } from "../repository/MealRepository.js";
import { toDailySeriesMessage, toMealMessage } from "./mealMessages.js";

export const MAX_STATS_DAYS = 366;

/** The largest meal; of equal ones, the one eaten last. */
function largestOf(meals: MealRow[]): MealRow | undefined {
  return meals.reduce<MealRow | undefined>(
    (largest, meal) =>
      !largest || meal.calories > largest.calories || (meal.calories === largest.calories && meal.eatenTime > largest.eatenTime)
        ? meal
        : largest,
    undefined,
  );
}

/**
 * The period's meals in one statement and its goal history in one goals call,
 * side by side: each day judged by the goal of that day (docs/concurrency.md
 * says what the answer is consistent with).
 */
export function getCalorieStats(
  meals: MealRepository,
  goals: GoalsGateway,
): UnaryHandler<GetCalorieStatsRequest, GetCalorieStatsResponse> {
  return async ({ customerId, overDays, timeZone: requestedZone }, call) => {
    const violations = [
      ...checkCustomerId(customerId),
      ...checkIntegerRange(overDays, 1, MAX_STATS_DAYS, "over_days"),
      ...checkTimeZone(requestedZone),
    ];
    if (violations.length > 0) throw invalidArgument(violations);
    const timeZone = timeZoneOrUtc(requestedZone);
    const now = new Date();
    const endDate = localDateOf(now, timeZone);
    const startDate = addDays(endDate, 1 - overDays);
    const days = calendarDays(startDate, endDate, timeZone);
    const period = { start: days[0].start, end: days[days.length - 1].end };
    const [eaten, revisions] = await Promise.all([
      meals.mealsWithin(customerId, period),
      goals.goalHistory(customerId, period, call),
    ]);
    const series = dailySeries(days, eaten, GoalTimeline.of(revisions), now);
    if (!series.anyGoalInForce) throw noGoalInPeriod(customerId, startDate, endDate);
    const totalCalories = eaten.reduce((sum, meal) => sum + meal.calories, 0);
    const largest = largestOf(eaten);
    return {
      customerId,
      overDays,
      startDate,
      endDate,
      averageDailyCalories: totalCalories / overDays,
      totalCalories: String(totalCalories),
      mealCount: eaten.length,
      largestMeal: largest && toMealMessage(largest),
      series: toDailySeriesMessage(series),
    };
  };
}
