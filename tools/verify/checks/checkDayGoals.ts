import type { CheckResult, Violation } from "../CheckResult.js";
import { concurrentWrites, GOAL_WRITES } from "../concurrentWrites.js";
import { CLOCK_MARGIN_MS, dayTiming } from "../dayTiming.js";
import { isGoalNotSet } from "../goalObservations.js";
import { GoalsInForce } from "../goalsInForce.js";
import { callsOf, revisionFinder, type CallRecord, type History, type RevisionFinder, type StatsDay } from "../History.js";
import { addDays, localDate, startOfLocalDay } from "../zonedDays.js";

type DayAnswerCall = CallRecord<"GetDailySummary" | "GetCalorieStats">;

interface Judgement {
  problems: string[];
  /** Some day ended about when the call ran, so it was not judged. */
  undecided: boolean;
}

const describeGoal = (version: number | undefined) => (version === undefined ? "no goal" : `goal version ${version}`);

/** The goal a day that was over when the call began must report: the one in force at its last instant. */
function expectedForPastDay(goals: GoalsInForce, date: string, timeZone: string): number | undefined {
  return goals.at(startOfLocalDay(addDays(date, 1), timeZone) - 1)?.version;
}

/** What is wrong with one day of a stats answer; a day still lasting is check 2's, save its own arithmetic. */
function dayProblems(
  history: History,
  call: DayAnswerCall,
  day: StatsDay,
  timeZone: string,
  goals: GoalsInForce,
  findRevision: RevisionFinder,
): string[] | "ending" {
  const timing = dayTiming(history, call, day.date, timeZone);
  if (timing === "ending") return "ending";
  const problems: string[] = [];
  if (timing === "past") {
    const expected = expectedForPastDay(goals, day.date, timeZone);
    if (expected !== day.goalVersion) {
      problems.push(
        `judges ${day.date} (${timeZone}) by ${describeGoal(day.goalVersion)}, but ${describeGoal(expected)} was in force at its end`,
      );
    }
  }
  if (day.goalVersion !== undefined) {
    const revision = findRevision(call.customerId, day.goalVersion);
    if (revision && revision.dailyCalories !== day.dailyCalories) {
      problems.push(
        `reports daily_calories ${day.dailyCalories} on ${day.date} for goal version ${day.goalVersion}, which had ${revision.dailyCalories}`,
      );
    }
    if (day.remainingCalories !== (day.dailyCalories ?? 0) - day.consumedCalories) {
      problems.push(`remaining_calories ${day.remainingCalories} on ${day.date} is not daily - consumed`);
    }
  }
  return problems;
}

/** The period's days must be over_days consecutive dates ending on a date the call ran on. */
function periodProblems(history: History, call: CallRecord<"GetCalorieStats">, days: StatsDay[]): string[] {
  const { overDays, timeZone } = call.request;
  const earliestEnd = localDate(history.startedAtEpochMs + call.invokedAt - CLOCK_MARGIN_MS, timeZone);
  const latestEnd = localDate(history.startedAtEpochMs + call.completedAt + CLOCK_MARGIN_MS, timeZone);
  const end = days.at(-1)?.date ?? "";
  const consecutive = days.every((day, index) => index === 0 || day.date === addDays(days[index - 1].date, 1));
  if (days.length === overDays && consecutive && end >= earliestEnd && end <= latestEnd) return [];
  return [`reports ${days.length} days ${days[0]?.date}..${end}, not ${overDays} consecutive days ending ${earliestEnd}`];
}

function judgeStats(
  history: History,
  call: CallRecord<"GetCalorieStats">,
  goals: GoalsInForce,
  findRevision: RevisionFinder,
): Judgement {
  const { overDays, timeZone } = call.request;
  if (call.outcome.status === "ok") {
    const { days } = call.outcome.response;
    const judged = days.map((day) => dayProblems(history, call, day, timeZone, goals, findRevision));
    return {
      problems: [
        ...periodProblems(history, call, days),
        ...judged.flatMap((problems) => (problems === "ending" ? [] : problems)),
      ],
      undecided: judged.includes("ending"),
    };
  }
  if (!isGoalNotSet(call.outcome)) return { problems: [], undecided: false };
  // The shortest period the call can have meant: a goal in force during it before the call began was there to be found.
  const lastEnd = localDate(history.startedAtEpochMs + call.completedAt + CLOCK_MARGIN_MS, timeZone);
  const periodStart = startOfLocalDay(addDays(lastEnd, 1 - overDays), timeZone);
  const before = history.startedAtEpochMs + call.invokedAt - CLOCK_MARGIN_MS;
  const problems =
    periodStart < before && goals.anyDuring(periodStart, before)
      ? [
          `answered GOAL_NOT_SET, but a goal was in force during the ${overDays} days to ${lastEnd} (${timeZone}) before the call began`,
        ]
      : [];
  return { problems, undecided: false };
}

function judgeSummary(history: History, call: CallRecord<"GetDailySummary">, goals: GoalsInForce): Judgement {
  const timing = dayTiming(history, call, call.request.day, "UTC");
  if (timing !== "past") return { problems: [], undecided: timing === "ending" };
  const reported =
    call.outcome.status === "ok" ? call.outcome.response.goalVersion : isGoalNotSet(call.outcome) ? undefined : null;
  if (reported === null) return { problems: [], undecided: false };
  const expected = expectedForPastDay(goals, call.request.day, "UTC");
  const problems =
    expected === reported
      ? []
      : [`summarises ${call.request.day} under ${describeGoal(reported)}, but ${describeGoal(expected)} was in force at its end`];
  return { problems, undecided: false };
}

/** Past-day summaries and every stats answer: the calls this check judges. */
function dayAnswers(history: History): DayAnswerCall[] {
  const pastSummaries = callsOf(history, "GetDailySummary").filter(
    (call) => dayTiming(history, call, call.request.day, "UTC") !== "lasting",
  );
  return [...pastSummaries, ...callsOf(history, "GetCalorieStats")].sort((a, b) => a.id - b.id);
}

/**
 * Check 6: every day is judged by a goal that was in force on it. A day over
 * before the call began reports the version in force at its last instant
 * (none when the goal was deleted or not yet created then), by the revision
 * history read at the end of the run; a day still lasting reports the current
 * goal, which check 2 judges. A stats answer covers over_days consecutive days
 * ending on the call's date and answers GOAL_NOT_SET only if no goal was in force during them.
 */
export function checkDayGoals(history: History): CheckResult {
  const goalsOf = GoalsInForce.ofHistory(history);
  const findRevision = revisionFinder(history);
  const calls = dayAnswers(history);
  let undecided = 0;
  const violations: Violation[] = calls.flatMap((call) => {
    const goals = goalsOf(call.customerId);
    const judgement =
      call.method === "GetCalorieStats" ? judgeStats(history, call, goals, findRevision) : judgeSummary(history, call, goals);
    if (judgement.undecided && judgement.problems.length === 0) undecided += 1;
    return judgement.problems.map((explanation) => ({ customerId: call.customerId, explanation, calls: [call] }));
  });
  return {
    title: "Day judged by a goal not in force that day",
    seedCases: [],
    examined: calls.length,
    concurrent: calls.filter(concurrentWrites(history.calls, GOAL_WRITES)).length,
    undecided,
    violations,
  };
}
