import type { Goal } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import type {
  GetCalorieStatsResponse,
  GetDailySummaryResponse,
  Meal,
  RecommendMealsResponse,
} from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { CalorieStats, DailySummary, GoalState, MealRecommendations, MealState } from "./History.js";
import { MalformedResponseError } from "./MalformedResponseError.js";

/** The parts of the services' answers that the history keeps. */

export function toGoalState(goal: Goal | undefined): GoalState {
  if (!goal) throw new MalformedResponseError("no goal in the answer");
  return { version: Number(goal.version), dailyCalories: goal.dailyCalories };
}

export function toMealState(meal: Meal | undefined): MealState {
  if (!meal) throw new MalformedResponseError("no meal in the answer");
  return { mealId: meal.mealId, calories: meal.calories, version: Number(meal.version) };
}

export function toDailySummary(summary: GetDailySummaryResponse): DailySummary {
  const { goalVersion, dailyCalories, consumedCalories, remainingCalories, mealCount } = summary;
  return { goalVersion: Number(goalVersion), dailyCalories, consumedCalories, remainingCalories, mealCount };
}

export function toMealRecommendations(answer: RecommendMealsResponse): MealRecommendations {
  const { goalVersion, dailyCalories, consumedCalories, remainingCalories } = answer;
  const recommendations = answer.recommendations.map(({ mealId, name, calories }) => ({ mealId, name, calories }));
  return { goalVersion: Number(goalVersion), dailyCalories, consumedCalories, remainingCalories, recommendations };
}

export function toCalorieStats(answer: GetCalorieStatsResponse): CalorieStats {
  if (!answer.series) throw new MalformedResponseError("no series in the stats");
  const days = answer.series.days.map(({ date, consumedCalories, mealCount, goalVersion, dailyCalories, remainingCalories }) => ({
    date,
    consumedCalories,
    mealCount,
    ...(goalVersion === undefined ? {} : { goalVersion: Number(goalVersion), dailyCalories, remainingCalories }),
  }));
  return { startDate: answer.startDate, endDate: answer.endDate, days };
}
