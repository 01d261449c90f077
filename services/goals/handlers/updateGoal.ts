import { versionFromEtag, checkCustomerId } from "../../../shared/api/fieldRules.js";
import { resolveUpdateMask } from "../../../shared/api/updateMask.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import { Goal, type UpdateGoalRequest, type UpdateGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import type { GoalRepository } from "../repository/GoalRepository.js";
import { checkGoalFields, isGoalFieldPopulated, pickGoalFields, UPDATABLE_GOAL_FIELDS } from "./checkGoalFields.js";
import { toGoalMessage } from "./goalMessages.js";

export function updateGoal(goals: GoalRepository): UnaryHandler<UpdateGoalRequest, UpdateGoalResponse> {
  return async ({ goal = Goal.create(), updateMask }, call) => {
    const fields = resolveUpdateMask(updateMask, UPDATABLE_GOAL_FIELDS, (field) => isGoalFieldPopulated(goal, field));
    const violations = [...checkCustomerId(goal.customerId, "goal.customer_id"), ...checkGoalFields(goal, fields)];
    if (fields.length === 0) violations.push({ field: "update_mask", description: "names no field to update" });
    if (violations.length > 0) throw invalidArgument(violations);
    const expectedVersion = versionFromEtag(goal.etag, "goal.etag");
    const updated = await goals.updateGoal(goal.customerId, pickGoalFields(goal, fields), expectedVersion, call);
    return { goal: toGoalMessage(updated) };
  };
}
