import { status } from "@grpc/grpc-js";
import type { CallRecord, History, Outcome } from "./History.js";

/** A call whose answer tells which goal version it saw; NO_GOAL when it saw none. */
export interface GoalObservation {
  call: CallRecord;
  version: number;
}

export const NO_GOAL = 0;

function isGoalNotSet(outcome: Outcome<unknown>): boolean {
  return outcome.status === "error" && outcome.code === status.FAILED_PRECONDITION && outcome.reason === "GOAL_NOT_SET";
}

const isNotFound = (outcome: Outcome<unknown>) => outcome.status === "error" && outcome.code === status.NOT_FOUND;

function observedVersion(call: CallRecord): number | undefined {
  switch (call.method) {
    case "GetGoal":
      if (call.outcome.status === "ok") return call.outcome.response.version;
      return isNotFound(call.outcome) ? NO_GOAL : undefined;
    case "UpdateGoal":
      return isNotFound(call.outcome) ? NO_GOAL : undefined;
    case "GetDailySummary":
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
    const version = observedVersion(call);
    return version === undefined ? [] : [{ call, version }];
  });
}
