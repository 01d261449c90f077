import { etagOf } from "../../../shared/api/fieldRules.js";
import type { DailySeries, DaySummary, Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { DailySeries as JudgedDays, DaySummary as JudgedDay } from "../domain/dailySeries.js";
import type { MealRow } from "../repository/mealRows.js";

export function toMealMessage(row: MealRow): Meal {
  return {
    mealId: row.mealId,
    customerId: row.customerId,
    name: row.name,
    calories: row.calories,
    rating: row.rating,
    cuisine: row.cuisine,
    eatenTime: row.eatenTime,
    version: row.version,
    etag: etagOf(row.version),
    createTime: row.createTime,
    updateTime: row.updateTime,
  };
}

/** A day without a goal leaves the goal's three fields out, so the caller tells "none" from zero. */
function toDaySummaryMessage(day: JudgedDay): DaySummary {
  return {
    date: day.date,
    consumedCalories: day.consumedCalories,
    mealCount: day.mealCount,
    dailyCalories: day.goal?.dailyCalories,
    goalVersion: day.goal?.version,
    remainingCalories: day.remainingCalories,
  };
}

export function toDailySeriesMessage(series: JudgedDays): DailySeries {
  return {
    days: series.days.map(toDaySummaryMessage),
    daysWithinGoal: series.daysWithinGoal,
    daysOverGoal: series.daysOverGoal,
    daysWithoutGoal: series.daysWithoutGoal,
  };
}
