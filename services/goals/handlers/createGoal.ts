import { checkCustomerId, checkRequestId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import { Goal, type CreateGoalRequest, type CreateGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import type { GoalFields, GoalRepository } from "../repository/GoalRepository.js";
import { checkGoalFields, pickGoalFields, UPDATABLE_GOAL_FIELDS } from "./checkGoalFields.js";
import { toGoalMessage } from "./goalMessages.js";

export function createGoal(goals: GoalRepository): UnaryHandler<CreateGoalRequest, CreateGoalResponse> {
  return async ({ customerId, goal = Goal.create(), requestId }, call) => {
    const violations = [
      ...checkCustomerId(customerId),
      ...checkGoalFields(goal, UPDATABLE_GOAL_FIELDS),
      ...checkRequestId(requestId),
    ];
    if (violations.length > 0) throw invalidArgument(violations);
    const fields = pickGoalFields(goal, UPDATABLE_GOAL_FIELDS) as GoalFields;
    const created = await goals.createGoal(customerId, fields, requestId || undefined, call);
    return { goal: toGoalMessage(created) };
  };
}
