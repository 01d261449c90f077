import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { RecommendMealsRequest, RecommendMealsResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { dayWindowAt, checkTimeZone, timeZoneOrUtc } from "../domain/calendar.js";
import type { GoalVersionProtocol } from "../protocol/GoalVersionProtocol.js";
import { recommendation } from "../repository/recommendWithinGoal.js";

export const DEFAULT_RECOMMENDATIONS = 3;
export const MAX_RECOMMENDATIONS = 20;

export function recommendMeals(protocol: GoalVersionProtocol): UnaryHandler<RecommendMealsRequest, RecommendMealsResponse> {
  return async ({ customerId, maxResults, timeZone: requestedZone }, call) => {
    const violations = [...checkCustomerId(customerId), ...checkTimeZone(requestedZone)];
    if (maxResults < 0 || maxResults > MAX_RECOMMENDATIONS) {
      violations.push({
        field: "max_results",
        description: `must be between 0 (meaning ${DEFAULT_RECOMMENDATIONS}) and ${MAX_RECOMMENDATIONS}`,
      });
    }
    if (violations.length > 0) throw invalidArgument(violations);
    const timeZone = timeZoneOrUtc(requestedZone);
    const now = new Date();

    const { goal, result } = await protocol.underCurrentGoal(
      customerId,
      call,
      recommendation({
        customerId,
        today: dayWindowAt(now, timeZone),
        now,
        maxResults: maxResults || DEFAULT_RECOMMENDATIONS,
      }),
    );
    return {
      recommendations: result.picks.map(({ name, calories, cuisine, rating, score, mealId }) => ({
        name,
        calories,
        cuisine,
        rating,
        score,
        mealId,
      })),
      goalVersion: goal.version,
      dailyCalories: goal.dailyCalories,
      consumedCalories: result.consumedCalories,
      remainingCalories: goal.dailyCalories - result.consumedCalories,
    };
  };
}
