import { versionFromEtag } from "../../../shared/api/etag.js";
import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/grpc/ServiceError.js";
import type { UnaryHandler } from "../../../shared/grpc/unaryHandler.js";
import type { DeleteMealRequest, DeleteMealResponse } from "../../../gen/mealplan/meals/v1/meals.js";
import type { MealRepository } from "../repository/MealRepository.js";
import { checkMealId } from "./checkMealFields.js";

export function deleteMeal(meals: MealRepository): UnaryHandler<DeleteMealRequest, DeleteMealResponse> {
  return async ({ customerId, mealId, etag }, { deadline }) => {
    const violations = [...checkCustomerId(customerId), ...checkMealId(mealId)];
    if (violations.length > 0) throw invalidArgument(violations);
    await meals.deleteMeal(customerId, mealId, versionFromEtag(etag, "etag"), deadline);
    return {};
  };
}
