import { GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import type { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealplanFixture } from "./mealplanFixture.js";

export const DAY_MS = 24 * 60 * 60 * 1000;

export async function setGoal(fixture: MealplanFixture, customerId: string, dailyCalories: number) {
  const { goal } = await fixture.goals.createGoal({
    customerId,
    goal: { customerId, dailyCalories, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "0", etag: "" },
    requestId: "",
  });
  return goal!;
}

export async function changeGoal(fixture: MealplanFixture, customerId: string, dailyCalories: number) {
  const { goal } = await fixture.goals.updateGoal({
    goal: { customerId, dailyCalories, kind: 0, description: "", version: "0", etag: "" },
    updateMask: ["daily_calories"],
  });
  return goal!;
}

export interface MealSpec {
  name: string;
  calories: number;
  rating?: number;
  cuisine?: string;
  eatenTime?: Date;
}

/** Logs a meal through the service, as a caller would. */
export async function logMeal(fixture: MealplanFixture, customerId: string, spec: MealSpec): Promise<Meal> {
  const { meal } = await fixture.meals.createMeal({
    customerId,
    meal: {
      mealId: "0",
      customerId: "",
      name: spec.name,
      calories: spec.calories,
      rating: spec.rating ?? 3,
      cuisine: spec.cuisine ?? "",
      eatenTime: spec.eatenTime,
      version: "0",
      etag: "",
    },
    requestId: "",
  });
  return meal!;
}
