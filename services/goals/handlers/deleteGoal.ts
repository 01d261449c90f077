import { versionFromEtag } from "../../../shared/api/etag.js";
import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/grpc/ServiceError.js";
import type { UnaryHandler } from "../../../shared/grpc/unaryHandler.js";
import type { DeleteGoalRequest, DeleteGoalResponse } from "../../../gen/mealplan/goals/v1/goals.js";
import type { GoalRepository } from "../repository/GoalRepository.js";

export function deleteGoal(goals: GoalRepository): UnaryHandler<DeleteGoalRequest, DeleteGoalResponse> {
  return async ({ customerId, etag }, { deadline }) => {
    const violations = checkCustomerId(customerId);
    if (violations.length > 0) throw invalidArgument(violations);
    await goals.deleteGoal(customerId, versionFromEtag(etag, "etag"), deadline);
    return {};
  };
}
