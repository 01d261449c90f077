import { status } from "@grpc/grpc-js";
import { etagOf } from "../../shared/api/etag.js";
import { etagMismatch, notFound, ServiceError } from "../../shared/grpc/ServiceError.js";

export const MEALS_ERROR_DOMAIN = "meals.mealplan";

export function mealNotFound(customerId: string, mealId: string): ServiceError {
  return notFound("MEAL_NOT_FOUND", `customer ${customerId} has no meal ${mealId}`, { customer_id: customerId, meal_id: mealId });
}

export function staleMealEtag(expectedVersion: string, currentVersion: string): ServiceError {
  return etagMismatch("meal", etagOf(expectedVersion), etagOf(currentVersion));
}

export function goalNotSet(customerId: string): ServiceError {
  return new ServiceError(
    status.FAILED_PRECONDITION,
    `customer ${customerId} has no goal; set one with GoalsService.CreateGoal`,
    {
      reason: "GOAL_NOT_SET",
      metadata: { customer_id: customerId },
      preconditionViolations: [
        { type: "GOAL", subject: `customers/${customerId}/goal`, description: "the customer has no daily calorie goal" },
      ],
    },
  );
}

export function goalsUnavailable(target: string, detail: string): ServiceError {
  return new ServiceError(status.UNAVAILABLE, `the goals service at ${target} is unavailable: ${detail}`, {
    reason: "GOALS_UNAVAILABLE",
    metadata: { goals_target: target },
  });
}

export function goalsDeadlineExceeded(target: string): ServiceError {
  return new ServiceError(status.DEADLINE_EXCEEDED, `the deadline passed while waiting for the goals service at ${target}`, {
    reason: "GOALS_DEADLINE_EXCEEDED",
    metadata: { goals_target: target },
  });
}

export function goalKeptMoving(customerId: string, attempts: number): ServiceError {
  return new ServiceError(
    status.ABORTED,
    `the goal or meals of customer ${customerId} changed during each of ${attempts} attempts; retry the request`,
    { reason: "GOAL_KEPT_CHANGING", metadata: { customer_id: customerId, attempts: String(attempts) } },
  );
}
