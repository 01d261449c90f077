import { checkIntegerRange, checkText } from "../../../shared/api/fieldRules.js";
import type { FieldViolation } from "../../../shared/errors/DomainError.js";
import type { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealFields } from "../repository/MealRepository.js";

export const UPDATABLE_MEAL_FIELDS = ["name", "calories", "rating", "cuisine", "eaten_time"] as const;
export type UpdatableMealField = (typeof UPDATABLE_MEAL_FIELDS)[number];

/** DATETIME(3) holds years 1000-9999; meals before the epoch or far ahead are typos. */
export const LATEST_EATEN_TIME = Date.UTC(9999, 0, 1);

type FieldCheck = (meal: Meal, prefix: string) => FieldViolation[];

const FIELD_CHECKS: Record<UpdatableMealField, FieldCheck> = {
  name: (meal, prefix) => checkText(meal.name, { min: 1, max: 200 }, `${prefix}name`),
  calories: (meal, prefix) => checkIntegerRange(meal.calories, 1, 20000, `${prefix}calories`),
  rating: (meal, prefix) => checkIntegerRange(meal.rating, 1, 5, `${prefix}rating`),
  cuisine: (meal, prefix) => checkText(meal.cuisine, { min: 0, max: 64 }, `${prefix}cuisine`),
  eaten_time: (meal, prefix) => {
    const time = meal.eatenTime?.getTime();
    return time === undefined || (time >= 0 && time < LATEST_EATEN_TIME)
      ? []
      : [{ field: `${prefix}eaten_time`, description: "must be between 1970 and 9999" }];
  },
};

export function checkMealFields(meal: Meal, fields: readonly UpdatableMealField[], prefix = "meal."): FieldViolation[] {
  return fields.flatMap((field) => FIELD_CHECKS[field](meal, prefix));
}

export function isMealFieldPopulated(meal: Meal, field: UpdatableMealField): boolean {
  switch (field) {
    case "name":
      return meal.name !== "";
    case "calories":
      return meal.calories !== 0;
    case "rating":
      return meal.rating !== 0;
    case "cuisine":
      return meal.cuisine !== "";
    case "eaten_time":
      return meal.eatenTime !== undefined;
  }
}

/** The values of `fields` in a meal that passed checkMealFields; an absent eaten_time means now. */
export function pickMealFields(meal: Meal, fields: readonly UpdatableMealField[], now: Date): Partial<MealFields> {
  const picked: Partial<MealFields> = {};
  for (const field of fields) {
    if (field === "name") picked.name = meal.name;
    if (field === "calories") picked.calories = meal.calories;
    if (field === "rating") picked.rating = meal.rating;
    if (field === "cuisine") picked.cuisine = meal.cuisine;
    if (field === "eaten_time") picked.eatenTime = meal.eatenTime ?? now;
  }
  return picked;
}

export function checkMealId(mealId: string, field = "meal_id"): FieldViolation[] {
  return /^[1-9]\d{0,18}$/.test(mealId) ? [] : [{ field, description: "must be a meal_id this service assigned" }];
}
