import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { quoteInput } from "../../../shared/errors/quoteInput.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { GetDailySummaryRequest, GetDailySummaryResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { daysWindow, localDateOf, parseCalendarDate } from "../domain/calendar.js";
import type { GoalVersionProtocol } from "../protocol/GoalVersionProtocol.js";
import { shareMealLog } from "../repository/mealLogLocks.js";
import { readEatenCalories } from "../repository/readEatenCalories.js";
import { checkTimeZone, timeZoneOrUtc } from "./checkTimeZone.js";

export function getDailySummary(protocol: GoalVersionProtocol): UnaryHandler<GetDailySummaryRequest, GetDailySummaryResponse> {
  return async (request, call) => {
    const violations = [...checkCustomerId(request.customerId), ...checkTimeZone(request.timeZone)];
    if (request.date !== "" && !parseCalendarDate(request.date)) {
      violations.push({ field: "date", description: `${quoteInput(request.date)} is not a date written YYYY-MM-DD` });
    }
    if (violations.length > 0) throw invalidArgument(violations);
    const { customerId } = request;
    const timeZone = timeZoneOrUtc(request.timeZone);
    const date = request.date || localDateOf(new Date(), timeZone);

    const { goal, result: eaten } = await protocol.underCurrentGoal(customerId, call, async (transaction) => {
      await shareMealLog(transaction, customerId);
      return readEatenCalories(transaction, customerId, daysWindow(date, date, timeZone));
    });
    return {
      customerId,
      date,
      timeZone,
      dailyCalories: goal.dailyCalories,
      goalVersion: goal.version,
      consumedCalories: eaten.consumedCalories,
      remainingCalories: goal.dailyCalories - eaten.consumedCalories,
      mealCount: eaten.mealCount,
    };
  };
}
