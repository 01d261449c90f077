import type { status } from "@grpc/grpc-js";
/**
 * What a verification run observed, as plain JSON: a run can save it for
 * study, and unit tests write one by hand to plant anomalies.
 *
 * Times are milliseconds since the run started, read from one monotonic clock
 * in the process that made every call: a call was invoked before its request
 * left and completed after its answer arrived, so its real effect happened
 * somewhere inside [invokedAt, completedAt].
 *
 * Versions are numbers: int64 on the wire, but a run never gets near 2^53.
 */

/** A goal as a write acknowledged it or a read returned it. */
export interface GoalState {
  version: number;
  dailyCalories: number;
}

/** A meal as CreateMeal or UpdateMeal acknowledged it. */
export interface MealState {
  mealId: string;
  calories: number;
  version: number;
}

export interface RecommendedMeal {
  mealId: string;
  name: string;
  calories: number;
}

export interface DailySummary {
  goalVersion: number;
  dailyCalories: number;
  consumedCalories: number;
  remainingCalories: number;
  mealCount: number;
}

export interface MealRecommendations {
  goalVersion: number;
  dailyCalories: number;
  consumedCalories: number;
  remainingCalories: number;
  recommendations: RecommendedMeal[];
}

/** One day of a GetCalorieStats answer; the goal's fields are absent when the day has no goal. */
export interface StatsDay {
  /** YYYY-MM-DD in the request's time zone. */
  date: string;
  consumedCalories: number;
  mealCount: number;
  goalVersion?: number;
  dailyCalories?: number;
  remainingCalories?: number;
}

export interface CalorieStats {
  startDate: string;
  endDate: string;
  /** Oldest first. */
  days: StatsDay[];
}

/** The part of each method's request and response the checks read. */
export interface Methods {
  CreateGoal: { request: { dailyCalories: number }; response: GoalState };
  /** expectedVersion: the version behind the etag sent, absent for an unconditional write. */
  UpdateGoal: { request: { dailyCalories: number; expectedVersion?: number }; response: GoalState };
  GetGoal: { request: Record<string, never>; response: GoalState };
  /** eatenTime: ISO 8601 in UTC, so its first ten characters are the UTC day. */
  CreateMeal: { request: { calories: number; eatenTime: string }; response: MealState };
  UpdateMeal: { request: { mealId: string; calories: number; expectedVersion?: number }; response: MealState };
  DeleteMeal: { request: { mealId: string; expectedVersion?: number }; response: Record<string, never> };
  /** day: YYYY-MM-DD, always asked in time zone UTC. */
  GetDailySummary: { request: { day: string }; response: DailySummary };
  /** timeZone: IANA name; the period ends with the day the call fell on in that zone. */
  GetCalorieStats: { request: { overDays: number; timeZone: string }; response: CalorieStats };
  /** Always asked in time zone UTC, so "today" is the UTC day on the server's clock. */
  RecommendMeals: { request: { maxResults: number }; response: MealRecommendations };
}

export type Method = keyof Methods;

export type Outcome<Response> =
  | { status: "ok"; response: Response }
  | {
      status: "error";
      /** The gRPC status code and its name, e.g. 10 ABORTED. */
      code: status;
      codeName: string;
      /** google.rpc.ErrorInfo.reason from the status details, when the server sent one. */
      reason?: string;
      message: string;
    };

export interface CallOf<M extends Method> {
  /** Position in the history, for naming a call in a report. */
  id: number;
  method: M;
  customerId: string;
  /** Which workload client made the call. */
  client: number;
  /** The replica address the call went to. */
  replica: string;
  invokedAt: number;
  completedAt: number;
  request: Methods[M]["request"];
  outcome: Outcome<Methods[M]["response"]>;
}

/** One recorded call; `method` tells which request and response it carries. */
export type CallRecord<M extends Method = Method> = { [K in M]: CallOf<K> }[M];

export type RevisionAction = "CREATE" | "UPDATE" | "DELETE";

export interface GoalRevisionRecord {
  version: number;
  dailyCalories: number;
  action: RevisionAction;
  /** When the goals service wrote it (epoch ms, its clock): from then on it was in force. */
  revisionTime: number;
}

/** A customer's goal as the goals service reported it after the workload stopped. */
export interface FinalGoalRecord {
  /** Every revision ListGoalRevisions returned, across all pages, in the order listed (newest first). */
  revisions: GoalRevisionRecord[];
  /** GetGoal's answer; null when the customer has no goal. */
  goal: GoalState | null;
}

export interface History {
  /** Wall-clock time (epoch ms) of the run's time 0, to tell which UTC day "today" was. */
  startedAtEpochMs: number;
  customers: string[];
  /** In invocation order, so by id. */
  calls: CallRecord[];
  finalGoals: Record<string, FinalGoalRecord>;
  /**
   * Per customer, how many versions of the goal the run wrote before its
   * workload began (a goal history in the past, for the days to be judged
   * by): versions 1..n are no call's doing. A customer not listed: none.
   */
  seededVersions: Record<string, number>;
}

export function callsOf<M extends Method>(history: History, method: M): Extract<CallRecord, { method: M }>[] {
  return history.calls.filter((call): call is Extract<CallRecord, { method: M }> => call.method === method);
}

export type RevisionFinder = (customerId: string, version: number) => GoalRevisionRecord | undefined;

/** Looks up the revision that produced a version of a customer's goal, if the final read listed it. */
export function revisionFinder(history: History): RevisionFinder {
  const byCustomer = new Map(
    Object.entries(history.finalGoals).map(([customerId, { revisions }]) => [
      customerId,
      new Map(revisions.map((revision) => [revision.version, revision])),
    ]),
  );
  return (customerId, version) => byCustomer.get(customerId)?.get(version);
}
