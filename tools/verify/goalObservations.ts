import { status } from "@grpc/grpc-js";
import { dayTiming } from "./dayTiming.js";
import type { CallRecord, History, Outcome } from "./History.js";

/** A call whose answer tells which goal version it saw; NO_GOAL when it saw none. */
export interface GoalObservation {
  call: CallRecord;
  version: number;
}

export const NO_GOAL = 0;

export function isGoalNotSet(outcome: Outcome<unknown>): boolean {
  return outcome.status === "error" && outcome.code === status.FAILED_PRECONDITION && outcome.reason === "GOAL_NOT_SET";
}

const isNotFound = (outcome: Outcome<unknown>) => outcome.status === "error" && outcome.code === status.NOT_FOUND;

/**
 * The current goal a call reported, if it reported one. A summary of a day
 * still lasting reports the current goal, one of a day that is over the goal
 * that day ended with (check 6's); a stats answer reports the current goal as
 * its last day's when that day is still lasting.
 */
function observedVersion(history: History, call: CallRecord): number | undefined {
  switch (call.method) {
    case "GetGoal":
      if (call.outcome.status === "ok") return call.outcome.response.version;
      return isNotFound(call.outcome) ? NO_GOAL : undefined;
    case "UpdateGoal":
      return isNotFound(call.outcome) ? NO_GOAL : undefined;
    case "GetDailySummary":
      if (dayTiming(history, call, call.request.day, "UTC") !== "lasting") return undefined;
      if (call.outcome.status === "ok") return call.outcome.response.goalVersion;
      return isGoalNotSet(call.outcome) ? NO_GOAL : undefined;
    case "GetCalorieStats": {
      const today = call.outcome.status === "ok" ? call.outcome.response.days.at(-1) : undefined;
      if (!today || dayTiming(history, call, today.date, call.request.timeZone) !== "lasting") return undefined;
      return today.goalVersion ?? NO_GOAL;
    }
    case "RecommendMeals":
      if (call.outcome.status === "ok") return call.outcome.response.goalVersion;
      return isGoalNotSet(call.outcome) ? NO_GOAL : undefined;
    default:
      return undefined;
  }
}

/** Every call that read the goal, directly or through the meals service, with the version it saw. */
export function goalObservations(history: History): GoalObservation[] {
  return history.calls.flatMap((call) => {
    const version = observedVersion(history, call);
    return version === undefined ? [] : [{ call, version }];
  });
}
