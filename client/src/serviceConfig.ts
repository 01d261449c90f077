/** The gRPC service config (gRFC A2, A6) a mealplan client starts with. */
export interface ServiceConfig {
  loadBalancingConfig: Record<string, object>[];
  methodConfig: MethodConfig[];
}

export interface MethodConfig {
  name: { service: string; method?: string }[];
  waitForReady?: boolean;
  retryPolicy?: {
    maxAttempts: number;
    initialBackoff: string;
    maxBackoff: string;
    backoffMultiplier: number;
    retryableStatusCodes: string[];
  };
}

export const GOALS_SERVICE = "mealplan.goals.v1.GoalsService";
export const MEALS_SERVICE = "mealplan.meals.v1.MealsService";

/** Methods that change nothing: safe to send again when the first attempt may or may not have arrived. */
export const IDEMPOTENT_READS: Record<string, string[]> = {
  [GOALS_SERVICE]: ["GetGoal", "ListGoalRevisions"],
  [MEALS_SERVICE]: ["GetMeal", "ListMeals", "GetDailySummary", "GetCalorieStats", "RecommendMeals"],
};

/**
 * round_robin over every address the target resolves to (use a `dns:///host:port`
 * target for a replicated service), and reads retried on UNAVAILABLE with
 * exponential backoff (grpc-js adds jitter), within the call's deadline. Writes
 * are not retried: a write that reached the server may have happened.
 */
export function defaultServiceConfig(service: string): ServiceConfig {
  return {
    loadBalancingConfig: [{ round_robin: {} }],
    methodConfig: [
      {
        name: (IDEMPOTENT_READS[service] ?? []).map((method) => ({ service, method })),
        retryPolicy: {
          maxAttempts: 4,
          initialBackoff: "0.05s",
          maxBackoff: "1s",
          backoffMultiplier: 2,
          retryableStatusCodes: ["UNAVAILABLE"],
        },
      },
    ],
  };
}
