import { status } from "@grpc/grpc-js";
import type { CheckResult, Violation } from "../CheckResult.js";
import { callsOf, type CallRecord, type History, type Method } from "../History.js";
import { mayHaveTakenEffectBefore } from "../writeEffect.js";

/** Any call may meet a conflict, an overloaded or unreachable replica, or its deadline. */
const ANY_CALL = [status.ABORTED, status.UNAVAILABLE, status.DEADLINE_EXCEEDED];

/**
 * What else the contract lets each method answer to the workload's valid
 * requests. NOT_FOUND of a goal is judged by check 2 (a goal the workload never
 * deletes can only be missing before it is created).
 */
const ALLOWED_BY_METHOD: Record<Method, status[]> = {
  CreateGoal: [status.ALREADY_EXISTS],
  UpdateGoal: [status.NOT_FOUND],
  GetGoal: [status.NOT_FOUND],
  CreateMeal: [],
  UpdateMeal: [status.NOT_FOUND],
  DeleteMeal: [status.NOT_FOUND],
  GetDailySummary: [status.FAILED_PRECONDITION],
  GetCalorieStats: [status.FAILED_PRECONDITION],
  RecommendMeals: [status.FAILED_PRECONDITION],
};

function groupBy<Item>(items: Item[], keyOf: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item)) ?? [];
    group.push(item);
    groups.set(keyOf(item), group);
  }
  return groups;
}

/** Finds another call that may have made a refusal true before the refused call ended. */
type CauseFinder = (call: CallRecord) => CallRecord | undefined;

/** ALREADY_EXISTS needs another create of the goal; a meal's NOT_FOUND needs a delete of that meal. */
function causeFinder(history: History): CauseFinder {
  const goalCreates = groupBy(callsOf(history, "CreateGoal"), (call) => call.customerId);
  const mealDeletes = groupBy(callsOf(history, "DeleteMeal"), (call) => call.request.mealId);
  const candidatesFor = (call: CallRecord): CallRecord[] => {
    if (call.method === "CreateGoal") return goalCreates.get(call.customerId) ?? [];
    if (call.method === "UpdateMeal" || call.method === "DeleteMeal") return mealDeletes.get(call.request.mealId) ?? [];
    return [];
  };
  return (call) =>
    candidatesFor(call).find((candidate) => candidate.id !== call.id && mayHaveTakenEffectBefore(candidate, call.completedAt));
}

function problemOf(call: CallRecord, findCause: CauseFinder): string | undefined {
  const { outcome } = call;
  if (outcome.status === "ok" || ANY_CALL.includes(outcome.code)) return undefined;
  const refusal = `${outcome.codeName}${outcome.reason ? ` (${outcome.reason})` : ""}: ${outcome.message}`;
  if (!ALLOWED_BY_METHOD[call.method].includes(outcome.code))
    return `answered ${refusal}, which the contract does not allow here`;
  if (outcome.code === status.FAILED_PRECONDITION && outcome.reason !== "GOAL_NOT_SET") {
    return `answered ${refusal}; the only precondition is GOAL_NOT_SET`;
  }
  if (outcome.code === status.ALREADY_EXISTS && !findCause(call)) {
    return `answered ${refusal}, but no other create of this goal may have succeeded before it ended`;
  }
  if (outcome.code === status.NOT_FOUND && (call.method === "UpdateMeal" || call.method === "DeleteMeal") && !findCause(call)) {
    return `answered ${refusal}, but no delete of meal ${call.request.mealId} may have happened before it ended`;
  }
  return undefined;
}

/**
 * Check 5: every error is one the contract allows for that call, never
 * INTERNAL, UNKNOWN or INVALID_ARGUMENT (the workload sends only valid
 * requests); ALREADY_EXISTS and a meal's NOT_FOUND need a concurrent or
 * earlier call that made them true.
 */
export function checkAllowedErrors(history: History): CheckResult {
  const findCause = causeFinder(history);
  const violations: Violation[] = history.calls.flatMap((call) => {
    const problem = problemOf(call, findCause);
    return problem ? [{ customerId: call.customerId, explanation: problem, calls: [call] }] : [];
  });
  return { title: "Error the contract does not allow", seedCases: [], examined: history.calls.length, undecided: 0, violations };
}
