import { versionFromEtag, checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { DeleteGoalRequest, DeleteGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import type { GoalRepository } from "../repository/GoalRepository.js";

export function deleteGoal(goals: GoalRepository): UnaryHandler<DeleteGoalRequest, DeleteGoalResponse> {
  return async ({ customerId, etag }, call) => {
    const violations = checkCustomerId(customerId);
    if (violations.length > 0) throw invalidArgument(violations);
    await goals.deleteGoal(customerId, versionFromEtag(etag, "etag"), call);
    return {};
  };
}
