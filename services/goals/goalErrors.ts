import { etagOf } from "../../shared/api/fieldRules.js";
import { etagMismatch, notFound, DomainError } from "../../shared/errors/DomainError.js";

export const GOALS_ERROR_DOMAIN = "goals.mealplan";

export function goalNotFound(customerId: string): DomainError {
  return notFound("GOAL_NOT_FOUND", `customer ${customerId} has no goal`, { customer_id: customerId });
}

export function goalAlreadyExists(customerId: string, version: string): DomainError {
  return new DomainError("ALREADY_EXISTS", `customer ${customerId} already has a goal; update it instead`, {
    reason: "GOAL_ALREADY_EXISTS",
    metadata: { customer_id: customerId, current_etag: etagOf(version) },
  });
}

export function staleGoalEtag(expectedVersion: string, currentVersion: string): DomainError {
  return etagMismatch("goal", etagOf(expectedVersion), etagOf(currentVersion));
}

/** GetGoal.as_of named an instant at which the customer had no goal: not created yet, or deleted. */
export function goalNotInForce(customerId: string, instant: Date): DomainError {
  return notFound("GOAL_NOT_FOUND", `customer ${customerId} had no goal at ${instant.toISOString()}`, {
    customer_id: customerId,
    as_of: instant.toISOString(),
  });
}
