import type { Database } from "../../../shared/database/Database.js";
import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import { invalidArgument } from "../../../shared/grpc/ServiceError.js";
import type { UnaryHandler } from "../../../shared/grpc/unaryHandler.js";
import type { GetDailySummaryRequest, GetDailySummaryResponse } from "../../../gen/mealplan/meals/v1/meals.js";
import { daysWindow, localDateOf, parseCalendarDate } from "../domain/calendar.js";
import type { GoalsGateway } from "../goals/GoalsGateway.js";
import { underCurrentGoal } from "../protocol/underCurrentGoal.js";
import { shareMealLog } from "../repository/mealLogLocks.js";
import { readEatenCalories } from "../repository/readEatenCalories.js";
import { checkTimeZone, timeZoneOrUtc } from "./checkTimeZone.js";

export function getDailySummary(
  database: Database,
  goals: GoalsGateway,
): UnaryHandler<GetDailySummaryRequest, GetDailySummaryResponse> {
  return async (request, { deadline }) => {
    const violations = [...checkCustomerId(request.customerId), ...checkTimeZone(request.timeZone)];
    if (request.date !== "" && !parseCalendarDate(request.date)) {
      violations.push({ field: "date", description: `"${request.date}" is not a date written YYYY-MM-DD` });
    }
    if (violations.length > 0) throw invalidArgument(violations);
    const { customerId } = request;
    const timeZone = timeZoneOrUtc(request.timeZone);
    const date = request.date || localDateOf(new Date(), timeZone);

    const { goal, result: eaten } = await underCurrentGoal(database, goals, customerId, deadline, async (session) => {
      await shareMealLog(session, customerId);
      return readEatenCalories(session, customerId, daysWindow(date, date, timeZone));
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
