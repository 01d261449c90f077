import { status } from "@grpc/grpc-js";
import type { CallRecord, GoalRevisionRecord, GoalState, History, Method, Methods, Outcome } from "../../tools/verify/History.js";

/** Noon UTC on 2025-03-10: "today" for every call of a built history. */
export const STARTED_AT = Date.UTC(2025, 2, 10, 12);

/** A revision as a test writes it: without a time, it was written just before the run began. */
export type PlannedRevision = Omit<GoalRevisionRecord, "revisionTime"> & { revisionTime?: number };
export const TODAY = "2025-03-10";
export const YESTERDAY = "2025-03-09";

/** A call's [invokedAt, completedAt] in ms since the run started. */
export type Window = [number, number];

/**
 * Writes histories by hand: one line per call, in invocation order, plus what
 * the final read of each customer's goal returned.
 */
export class HistoryBuilder {
  private readonly calls: CallRecord[] = [];
  private readonly finalGoals: History["finalGoals"] = {};
  private readonly seededVersions: History["seededVersions"] = {};

  constructor(private readonly customers: string[] = ["alice"]) {}

  ok<M extends Method>(
    method: M,
    window: Window,
    request: Methods[M]["request"],
    response: Methods[M]["response"],
    customerId = "alice",
  ): CallRecord<M> {
    return this.add(method, window, request, { status: "ok", response }, customerId);
  }

  error<M extends Method>(
    method: M,
    window: Window,
    request: Methods[M]["request"],
    code: status,
    reason?: string,
    customerId = "alice",
  ): CallRecord<M> {
    const outcome = { status: "error" as const, code, codeName: status[code], reason, message: `planted ${status[code]}` };
    return this.add(method, window, request, outcome, customerId);
  }

  /** The goal's revisions, oldest first as written here (the history keeps them newest first, as listed). */
  goalHistory(revisions: PlannedRevision[], goal: GoalState | null, customerId = "alice"): this {
    const timed = revisions.map((revision, index) => ({
      ...revision,
      revisionTime: revision.revisionTime ?? STARTED_AT - (revisions.length - index),
    }));
    this.finalGoals[customerId] = { revisions: timed.reverse(), goal };
    return this;
  }

  /** Versions 1..count of the customer's goal were written before the run, by no call. */
  seeded(count: number, customerId = "alice"): this {
    this.seededVersions[customerId] = count;
    return this;
  }

  build(): History {
    const finalGoals = Object.fromEntries(
      this.customers.map((customerId) => [customerId, this.finalGoals[customerId] ?? { revisions: [], goal: null }]),
    );
    return {
      startedAtEpochMs: STARTED_AT,
      customers: this.customers,
      calls: [...this.calls],
      finalGoals,
      seededVersions: { ...this.seededVersions },
    };
  }

  private add<M extends Method>(
    method: M,
    [invokedAt, completedAt]: Window,
    request: Methods[M]["request"],
    outcome: Outcome<Methods[M]["response"]>,
    customerId: string,
  ): CallRecord<M> {
    const call = {
      id: this.calls.length + 1,
      method,
      customerId,
      client: 0,
      replica: "test:1",
      invokedAt,
      completedAt,
      request,
      outcome,
    };
    this.calls.push(call as CallRecord);
    return call;
  }
}

/** A goal created at version 1 with `dailyCalories` and never changed, settled before time 0. */
export function withSettledGoal(builder: HistoryBuilder, dailyCalories = 2000, customerId = "alice"): HistoryBuilder {
  builder.ok("CreateGoal", [-20, -10], { dailyCalories }, { version: 1, dailyCalories }, customerId);
  return builder.goalHistory([{ version: 1, dailyCalories, action: "CREATE" }], { version: 1, dailyCalories }, customerId);
}

/** The goal's history once withSettledGoal's 2000 kcal were lowered to 1800 at version 2 (the UpdateGoal is the test's). */
export function withGoalLowered(builder: HistoryBuilder): HistoryBuilder {
  return builder.goalHistory(
    [
      { version: 1, dailyCalories: 2000, action: "CREATE" },
      { version: 2, dailyCalories: 1800, action: "UPDATE" },
    ],
    { version: 2, dailyCalories: 1800 },
  );
}
