import { addDays, startOfDay, type CalendarDate, type DayWindow } from "./calendar.js";
import { goalOfDay, type DayGoal, type GoalTimeline } from "./goalOfDay.js";

/** A calendar day in a zone, with the instants it spans. */
export interface CalendarDay extends DayWindow {
  date: CalendarDate;
}

/** Days `from`..`to` (inclusive) in the zone; each boundary is computed once and shared by the days on both sides. */
export function calendarDays(from: CalendarDate, to: CalendarDate, timeZone: string): CalendarDay[] {
  const days: CalendarDay[] = [];
  let start = startOfDay(from, timeZone);
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const end = startOfDay(addDays(date, 1), timeZone);
    days.push({ date, start, end });
    start = end;
  }
  return days;
}

/** What the series needs of a logged meal. */
export interface EatenMeal {
  calories: number;
  eatenTime: Date;
}

export interface DaySummary {
  date: CalendarDate;
  consumedCalories: number;
  mealCount: number;
  /** The goal of the day (see goalOfDay); undefined when the day has none. */
  goal: DayGoal | undefined;
  /** goal.dailyCalories - consumedCalories, negative when over; undefined without a goal. */
  remainingCalories: number | undefined;
}

export interface DailySeries {
  /** One per day, oldest first. */
  days: DaySummary[];
  /** Days with a goal and nothing over it (today as eaten so far). */
  daysWithinGoal: number;
  daysOverGoal: number;
  daysWithoutGoal: number;
  /**
   * Whether a goal was in force at some instant of the days, or is the goal of
   * one of them (a goals replica's clock may stamp today's goal a little
   * ahead). When not, there is nothing to judge by: GOAL_NOT_SET.
   */
  anyGoalInForce: boolean;
}

/** The index of the day `instant` falls in, or -1 outside them all. */
function dayIndexOf(days: readonly CalendarDay[], instant: Date): number {
  const time = instant.getTime();
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (days[middle].end.getTime() <= time) low = middle + 1;
    else high = middle;
  }
  return low < days.length && days[low].start.getTime() <= time ? low : -1;
}

/**
 * Every day's meals against the goal of that day. Meals are placed by binary
 * search over the day boundaries rather than by localDateOf, whose Intl call
 * per meal is the costly part of calendar work (docs/performance.md).
 */
export function dailySeries(
  days: readonly CalendarDay[],
  meals: readonly EatenMeal[],
  timeline: GoalTimeline,
  now: Date,
): DailySeries {
  const consumed = days.map(() => ({ calories: 0, count: 0 }));
  for (const meal of meals) {
    // The caller reads the meals of exactly these days; anything else is not theirs to count.
    const index = dayIndexOf(days, meal.eatenTime);
    if (index < 0) continue;
    consumed[index].calories += meal.calories;
    consumed[index].count += 1;
  }
  const series: DailySeries = { days: [], daysWithinGoal: 0, daysOverGoal: 0, daysWithoutGoal: 0, anyGoalInForce: false };
  days.forEach((day, index) => {
    const goal = goalOfDay(timeline, day, now);
    const remainingCalories = goal && goal.dailyCalories - consumed[index].calories;
    series.days.push({
      date: day.date,
      consumedCalories: consumed[index].calories,
      mealCount: consumed[index].count,
      goal,
      remainingCalories,
    });
    if (remainingCalories === undefined) series.daysWithoutGoal += 1;
    else if (remainingCalories >= 0) series.daysWithinGoal += 1;
    else series.daysOverGoal += 1;
  });
  series.anyGoalInForce =
    series.daysWithoutGoal < days.length ||
    (days.length > 0 && timeline.anyInForceDuring({ start: days[0].start, end: days[days.length - 1].end }));
  return series;
}
