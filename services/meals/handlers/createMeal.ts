import { checkCustomerId, checkRequestId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import { Meal, type CreateMealRequest, type CreateMealResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealFields, MealRepository } from "../repository/MealRepository.js";
import { checkMealFields, pickMealFields, UPDATABLE_MEAL_FIELDS } from "./checkMealFields.js";
import { toMealMessage } from "./mealMessages.js";

export function createMeal(meals: MealRepository): UnaryHandler<CreateMealRequest, CreateMealResponse> {
  return async ({ customerId, meal = Meal.create(), requestId }, call) => {
    const violations = [
      ...checkCustomerId(customerId),
      ...checkMealFields(meal, UPDATABLE_MEAL_FIELDS),
      ...checkRequestId(requestId),
    ];
    if (violations.length > 0) throw invalidArgument(violations);
    const fields = pickMealFields(meal, UPDATABLE_MEAL_FIELDS, new Date()) as MealFields;
    return { meal: toMealMessage(await meals.createMeal(customerId, fields, requestId || undefined, call)) };
  };
}
