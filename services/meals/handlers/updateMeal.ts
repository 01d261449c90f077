import { versionFromEtag, checkCustomerId } from "../../../shared/api/fieldRules.js";
import { resolveUpdateMask } from "../../../shared/api/updateMask.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import { Meal, type UpdateMealRequest, type UpdateMealResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealRepository } from "../repository/MealRepository.js";
import { checkMealFields, checkMealId, isMealFieldPopulated, pickMealFields, UPDATABLE_MEAL_FIELDS } from "./checkMealFields.js";
import { toMealMessage } from "./mealMessages.js";

export function updateMeal(meals: MealRepository): UnaryHandler<UpdateMealRequest, UpdateMealResponse> {
  return async ({ meal = Meal.create(), updateMask }, call) => {
    const fields = resolveUpdateMask(updateMask, UPDATABLE_MEAL_FIELDS, (field) => isMealFieldPopulated(meal, field));
    const violations = [
      ...checkCustomerId(meal.customerId, "meal.customer_id"),
      ...checkMealId(meal.mealId, "meal.meal_id"),
      ...checkMealFields(meal, fields),
    ];
    if (fields.length === 0) violations.push({ field: "update_mask", description: "names no field to update" });
    if (violations.length > 0) throw invalidArgument(violations);
    const expectedVersion = versionFromEtag(meal.etag, "meal.etag");
    const changes = pickMealFields(meal, fields, new Date());
    return { meal: toMealMessage(await meals.updateMeal(meal.customerId, meal.mealId, changes, expectedVersion, call)) };
  };
}
