import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { GetMealRequest, GetMealResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { mealNotFound } from "../mealErrors.js";
import type { MealRepository } from "../repository/MealRepository.js";
import { checkMealId } from "./checkMealFields.js";
import { toMealMessage } from "./mealMessages.js";

export function getMeal(meals: MealRepository): UnaryHandler<GetMealRequest, GetMealResponse> {
  return async ({ customerId, mealId }) => {
    const violations = [...checkCustomerId(customerId), ...checkMealId(mealId)];
    if (violations.length > 0) throw invalidArgument(violations);
    const meal = await meals.findMeal(customerId, mealId);
    if (!meal) throw mealNotFound(customerId, mealId);
    return { meal: toMealMessage(meal) };
  };
}
