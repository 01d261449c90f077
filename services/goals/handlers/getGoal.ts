import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { GetGoalRequest, GetGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { goalNotFound, goalNotInForce } from "../goalErrors.js";
import type { GoalRepository } from "../repository/GoalRepository.js";
import { withinRevisionTimes } from "./withinRevisionTimes.js";
import { toGoalMessage } from "./goalMessages.js";

export function getGoal(goals: GoalRepository): UnaryHandler<GetGoalRequest, GetGoalResponse> {
  return async ({ customerId, asOf }) => {
    const violations = checkCustomerId(customerId);
    if (violations.length > 0) throw invalidArgument(violations);
    if (asOf === undefined) {
      const goal = await goals.findGoal(customerId);
      if (!goal) throw goalNotFound(customerId);
      return { goal: toGoalMessage(goal) };
    }
    const goal = await goals.goalAsOf(customerId, withinRevisionTimes(asOf));
    if (!goal) throw goalNotInForce(customerId, asOf);
    return { goal: toGoalMessage(goal) };
  };
}
