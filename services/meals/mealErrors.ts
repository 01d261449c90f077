import { etagOf } from "../../shared/api/fieldRules.js";
import { etagMismatch, notFound, DomainError } from "../../shared/errors/DomainError.js";

export const MEALS_ERROR_DOMAIN = "meals.mealplan";

export function mealNotFound(customerId: string, mealId: string): DomainError {
  return notFound("MEAL_NOT_FOUND", `customer ${customerId} has no meal ${mealId}`, { customer_id: customerId, meal_id: mealId });
}

export function staleMealEtag(expectedVersion: string, currentVersion: string): DomainError {
  return etagMismatch("meal", etagOf(expectedVersion), etagOf(currentVersion));
}

/** FAILED_PRECONDITION GOAL_NOT_SET: there is no goal to judge by, `when` says for which time. */
function withoutGoal(customerId: string, message: string, when: Record<string, string>): DomainError {
  return new DomainError("FAILED_PRECONDITION", message, {
    reason: "GOAL_NOT_SET",
    metadata: { customer_id: customerId, ...when },
    preconditionViolations: [
      { type: "GOAL", subject: `customers/${customerId}/goal`, description: "the customer has no daily calorie goal" },
    ],
  });
}

export function goalNotSet(customerId: string): DomainError {
  return withoutGoal(customerId, `customer ${customerId} has no goal; set one with GoalsService.CreateGoal`, {});
}

/** A day that is over, at whose end no goal was in force. */
export function noGoalOnDay(customerId: string, date: string): DomainError {
  return withoutGoal(customerId, `customer ${customerId} had no goal at the end of ${date}`, { date });
}

/** A stats period during which no goal was in force at any instant. */
export function noGoalInPeriod(customerId: string, startDate: string, endDate: string): DomainError {
  return withoutGoal(customerId, `customer ${customerId} had no goal at any time from ${startDate} to ${endDate}`, {
    start_date: startDate,
    end_date: endDate,
  });
}

export function goalsUnavailable(target: string, detail: string): DomainError {
  return new DomainError("UNAVAILABLE", `the goals service at ${target} is unavailable: ${detail}`, {
    reason: "GOALS_UNAVAILABLE",
    metadata: { goals_target: target },
  });
}

export function goalsDeadlineExceeded(target: string): DomainError {
  return new DomainError("DEADLINE_EXCEEDED", `the deadline passed while waiting for the goals service at ${target}`, {
    reason: "GOALS_DEADLINE_EXCEEDED",
    metadata: { goals_target: target },
  });
}

export function goalKeptMoving(customerId: string, attempts: number): DomainError {
  return new DomainError(
    "ABORTED",
    `the goal or meals of customer ${customerId} changed during each of ${attempts} attempts; retry the request`,
    { reason: "GOAL_KEPT_CHANGING", metadata: { customer_id: customerId, attempts: String(attempts) } },
  );
}
