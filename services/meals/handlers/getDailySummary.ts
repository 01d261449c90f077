import { checkCustomerId } from "../../../shared/api/fieldRules.js";
import type { CallScope } from "../../../shared/call/CallScope.js";
import { invalidArgument } from "../../../shared/errors/DomainError.js";
import { quoteInput } from "../../../shared/errors/quoteInput.js";
import type { UnaryHandler } from "../../../shared/grpc/serveUnary.js";
import type { GetDailySummaryRequest, GetDailySummaryResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { daysWindow, localDateOf, parseCalendarDate, type DayWindow, checkTimeZone, timeZoneOrUtc } from "../domain/calendar.js";
import { goalOfDay, GoalTimeline, type DayGoal } from "../domain/goalOfDay.js";
import type { GoalsGateway } from "../goals/GoalsGateway.js";
import { noGoalOnDay } from "../mealErrors.js";
import type { GoalVersionProtocol } from "../protocol/GoalVersionProtocol.js";
import { eatenWithin, type EatenCalories } from "../repository/mealLogLocks.js";
import type { MealRepository } from "../repository/MealRepository.js";

interface JudgedDay {
  goal: DayGoal;
  eaten: EatenCalories;
}

export interface DailySummarySources {
  protocol: GoalVersionProtocol;
  goals: GoalsGateway;
  meals: MealRepository;
}

/**
 * Today (or a day still to come) under the version-token protocol: the meals
 * read under the shared meal-log lock, then the goal in force while it holds.
 */
async function todayUnderCurrentGoal(
  { protocol }: DailySummarySources,
  customerId: string,
  day: DayWindow,
  call: CallScope,
): Promise<JudgedDay> {
  const { goal, result: eaten } = await protocol.underCurrentGoal(customerId, call, eatenWithin(customerId, day));
  return { goal, eaten };
}

/**
 * A day that is over: its goal is settled (revisions are only appended), so
 * the goal history of the day and one plain read of its meals answer, with no
 * lock and no version to re-check.
 */
async function pastDay(
  { goals, meals }: DailySummarySources,
  customerId: string,
  date: string,
  day: DayWindow,
  call: CallScope,
  now: Date,
): Promise<JudgedDay> {
  const [revisions, eatenMeals] = await Promise.all([
    goals.goalHistory(customerId, day, call),
    meals.mealsWithin(customerId, day),
  ]);
  const goal = goalOfDay(GoalTimeline.of(revisions), day, now);
  if (!goal) throw noGoalOnDay(customerId, date);
  const consumedCalories = eatenMeals.reduce((sum, meal) => sum + meal.calories, 0);
  return { goal, eaten: { consumedCalories, mealCount: eatenMeals.length } };
}

export function getDailySummary(sources: DailySummarySources): UnaryHandler<GetDailySummaryRequest, GetDailySummaryResponse> {
  return async (request, call) => {
    const violations = [...checkCustomerId(request.customerId), ...checkTimeZone(request.timeZone)];
    if (request.date !== "" && !parseCalendarDate(request.date)) {
      violations.push({ field: "date", description: `${quoteInput(request.date)} is not a date written YYYY-MM-DD` });
    }
    if (violations.length > 0) throw invalidArgument(violations);
    const { customerId } = request;
    const timeZone = timeZoneOrUtc(request.timeZone);
    const now = new Date();
    const date = request.date || localDateOf(now, timeZone);
    const day = daysWindow(date, date, timeZone);

    const { goal, eaten } =
      day.end.getTime() > now.getTime()
        ? await todayUnderCurrentGoal(sources, customerId, day, call)
        : await pastDay(sources, customerId, date, day, call, now);
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
