import { checkCustomerId, checkIntegerRange } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { GetCalorieStatsRequest, GetCalorieStatsResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { addDays, daysWindow, localDateOf } from "../domain/calendar.js";
import type { MealRow } from "../repository/mealRows.js";
import type { MealRepository } from "../repository/MealRepository.js";
import { checkTimeZone, timeZoneOrUtc } from "./checkTimeZone.js";
import { toMealMessage } from "./mealMessages.js";

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

export function getCalorieStats(meals: MealRepository): UnaryHandler<GetCalorieStatsRequest, GetCalorieStatsResponse> {
  return async ({ customerId, overDays, timeZone: requestedZone }) => {
    const violations = [
      ...checkCustomerId(customerId),
      ...checkIntegerRange(overDays, 1, MAX_STATS_DAYS, "over_days"),
      ...checkTimeZone(requestedZone),
    ];
    if (violations.length > 0) throw invalidArgument(violations);
    const timeZone = timeZoneOrUtc(requestedZone);
    const endDate = localDateOf(new Date(), timeZone);
    const startDate = addDays(endDate, 1 - overDays);
    const eaten = await meals.mealsWithin(customerId, daysWindow(startDate, endDate, timeZone));
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
    };
  };
}
