import { versionFromEtag, checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { DeleteMealRequest, DeleteMealResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealRepository } from "../repository/MealRepository.js";
import { checkMealId } from "./checkMealFields.js";

export function deleteMeal(meals: MealRepository): UnaryHandler<DeleteMealRequest, DeleteMealResponse> {
  return async ({ customerId, mealId, etag }, call) => {
    const violations = [...checkCustomerId(customerId), ...checkMealId(mealId)];
    if (violations.length > 0) throw invalidArgument(violations);
    await meals.deleteMeal(customerId, mealId, versionFromEtag(etag, "etag"), call);
    return {};
  };
}
