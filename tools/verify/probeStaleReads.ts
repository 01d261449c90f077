import { Goal, GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { setTimeout as sleep } from "node:timers/promises";
import { checkHistory } from "./checkHistory.js";
import type { CheckResult } from "./CheckResult.js";
import { collectFinalGoals } from "./collectFinalGoals.js";
import type { Replica, ReplicaClients } from "./connectReplicas.js";
import type { History, Method, Methods, Outcome } from "./History.js";
import { HistoryRecorder } from "./HistoryRecorder.js";
import { toDailySummary, toGoalState, toMealState } from "./responseProjections.js";
import { utcDay } from "./utcDay.js";

export interface StaleReadProbe {
  history: History;
  results: CheckResult[];
  /** Rounds run, each a goal write then read, and a meal write then summary. */
  rounds: number;
  elapsedMs: number;
}

const CALL_DEADLINE_MS = 5000;
/** How long a held reader node goes on holding after its read was sent: a causal read waits this long. */
const HELD_READ_MS = 200;

/**
 * Holds back what the database node of the goals reader replica applies of
 * other nodes' writes (e.g. FLUSH TABLES WITH READ LOCK on it): without it,
 * whether a read misses the write before it is left to timing, and on some
 * machines the write is applied before two gRPC hops are over (0 stale reads
 * in 600 rounds without sync wait on a 2 x Xeon machine, where a 2 x EPYC
 * found them).
 */
export interface ReaderLag {
  hold(): Promise<void>;
  release(): Promise<void>;
}

/**
 * The sharpest test of causal reads across nodes: a write acknowledged through
 * one replica, then at once a read of it through another replica that uses a
 * different database node. For one customer, `rounds` times: an
 * UpdateGoal through goals replica 0 then a GetGoal through goals replica 1;
 * a CreateMeal through meals replica 0 then a GetDailySummary of today
 * through meals replica 1. Every call is recorded and the history goes to the
 * same checker as the workload's: a read that misses the write before it is a
 * stale goal version (check 2) or stale consumed calories (check 4).
 *
 * The goals reader's node is held (`lag`) from before each UpdateGoal after
 * the first round until HELD_READ_MS after its GetGoal was sent: a read without sync wait misses the write every
 * time, a causal read waits for the release and finds it. The summaries are
 * not held: through a node held so, a summary came back fresh in every one of
 * 14 rounds, so holding it would show nothing.
 */
export async function probeStaleReads(replicas: ReplicaClients, rounds: number, lag: ReaderLag): Promise<StaleReadProbe> {
  const [goalsWriter, goalsReader] = replicas.goals;
  const [mealsWriter, mealsReader] = replicas.meals;
  const recorder = new HistoryRecorder();
  const tag = Date.now().toString(36);
  const customerId = `probe-${tag}`;
  const customers = [customerId];
  const call = <M extends Method>(
    method: M,
    replica: Replica<unknown>,
    request: Methods[M]["request"],
    perform: (deadline: number) => Promise<Methods[M]["response"]>,
  ): Promise<Outcome<Methods[M]["response"]>> =>
    recorder.record({ method, customerId, client: 0, replica: replica.address }, request, () =>
      perform(Date.now() + CALL_DEADLINE_MS),
    );
  // The first round goes unheld: the goals reader then has a connection ready. A held node counts as
  // desynced, and a replica opening a connection to it would move to another node.
  const updateThenGet = async (round: number, update: () => Promise<unknown>, get: () => Promise<unknown>) => {
    if (round === 1) {
      await update();
      await get();
      return;
    }
    await lag.hold();
    let released: Promise<void> | undefined;
    try {
      await update();
      released = sleep(HELD_READ_MS).then(() => lag.release());
      await get();
    } finally {
      await (released ?? lag.release());
    }
  };
  const started = performance.now();
  await call("CreateGoal", goalsWriter, { dailyCalories: 2000 }, async (deadline) => {
    const request = { customerId, goal: Goal.create({ dailyCalories: 2000, kind: GoalKind.GOAL_KIND_DIET }), requestId: "" };
    return toGoalState((await goalsWriter.client.createGoal(request, { deadline })).goal);
  });
  for (let round = 1; round <= rounds; round++) {
    const dailyCalories = 1500 + (round % 1000);
    await updateThenGet(
      round,
      () =>
        call("UpdateGoal", goalsWriter, { dailyCalories }, async (deadline) => {
          const request = { goal: Goal.create({ customerId, dailyCalories }), updateMask: ["daily_calories"] };
          return toGoalState((await goalsWriter.client.updateGoal(request, { deadline })).goal);
        }),
      () =>
        call("GetGoal", goalsReader, {}, async (deadline) =>
          toGoalState((await goalsReader.client.getGoal({ customerId }, { deadline })).goal),
        ),
    );
    // A few meals a day at most: keeps the checker's search small; older rounds' meals are on other days.
    const eatenTime = new Date(Date.now() - (round % 30) * 24 * 3600_000 - 60_000);
    const calories = 1 + (round % 50);
    const day = utcDay(eatenTime.getTime());
    await call("CreateMeal", mealsWriter, { calories, eatenTime: eatenTime.toISOString() }, async (deadline) => {
      const request = { customerId, meal: Meal.create({ name: "Probe", calories, rating: 3, eatenTime }), requestId: "" };
      return toMealState((await mealsWriter.client.createMeal(request, { deadline })).meal);
    });
    await call("GetDailySummary", mealsReader, { day }, async (deadline) =>
      toDailySummary(await mealsReader.client.getDailySummary({ customerId, date: day, timeZone: "UTC" }, { deadline })),
    );
  }
  const elapsedMs = performance.now() - started;
  const history = recorder.history(customers, await collectFinalGoals(goalsWriter, customers, CALL_DEADLINE_MS), {});
  return { history, results: checkHistory(history), rounds, elapsedMs };
}
