/**
 * @mealplan/client: typed promise clients for the mealplan services.
 *
 *   const goals = createGoalsClient("dns:///goals.internal:50051");
 *   const { goal } = await goals.getGoal({ customerId: "stephanie" }, { deadline: Date.now() + 500 });
 *
 * Every call has a deadline, rejects with a MealplanError (code, ErrorInfo reason,
 * field violations, current etag), and goes over one channel per client with the
 * default service config (round_robin, reads retried on UNAVAILABLE).
 */
import { GoalsServiceService } from "../gen/mealplan/goals/v1/goals.js";
import { MealsServiceService } from "../gen/mealplan/meals/v1/meals.js";
import { createPromiseClient, type ClientOptions, type PromiseClient } from "./createPromiseClient.js";
import { GOALS_SERVICE, MEALS_SERVICE } from "./serviceConfig.js";

export type GoalsClient = PromiseClient<typeof GoalsServiceService>;
export type MealsClient = PromiseClient<typeof MealsServiceService>;

/** A client of mealplan.goals.v1.GoalsService at `target` (host:port, or dns:///host:port for every replica). */
export function createGoalsClient(target: string, options?: ClientOptions): GoalsClient {
  return createPromiseClient(GoalsServiceService, GOALS_SERVICE, target, options);
}

/** A client of mealplan.meals.v1.MealsService at `target`. */
export function createMealsClient(target: string, options?: ClientOptions): MealsClient {
  return createPromiseClient(MealsServiceService, MEALS_SERVICE, target, options);
}

export { createPromiseClient, DEFAULT_TIMEOUT_MS } from "./createPromiseClient.js";
export type { CallOptions, ClientOptions, PromiseClient } from "./createPromiseClient.js";
export { MealplanError, toMealplanError } from "./MealplanError.js";
export type { FieldViolation, PreconditionViolation } from "./MealplanError.js";
export { defaultServiceConfig, GOALS_SERVICE, IDEMPOTENT_READS, MEALS_SERVICE } from "./serviceConfig.js";
export type { MethodConfig, ServiceConfig } from "./serviceConfig.js";
export { Goal, GoalKind, GoalRevision, RevisionAction } from "../gen/mealplan/goals/v1/goals.js";
export { Meal, Recommendation } from "../gen/mealplan/meals/v1/meals.js";
export * as goalsV1 from "../gen/mealplan/goals/v1/goals.js";
export * as mealsV1 from "../gen/mealplan/meals/v1/meals.js";
