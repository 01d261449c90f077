import { status } from "@grpc/grpc-js";
import { GetGoalRequest } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { GetMealRequest } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { RawClient } from "./rawClient.js";
import type { FuzzWorld } from "./fuzzWorld.js";

/** Well-formed reads of the sentinel's goal and meal; each must succeed, or the fuzzer's requests hurt them. */
export function knownGoodCalls(world: FuzzWorld) {
  const { customerId, mealId } = world.sentinel;
  return {
    getGoal: { path: "/mealplan.goals.v1.GoalsService/GetGoal", body: GetGoalRequest.encode({ customerId }).finish() },
    getMeal: { path: "/mealplan.meals.v1.MealsService/GetMeal", body: GetMealRequest.encode({ customerId, mealId }).finish() },
  };
}

export interface ProbeTally {
  calls: number;
  failures: string[];
}

/**
 * Runs a GetGoal and a GetMeal over the fuzzer's own connections, back to back, until stopped: hostile calls
 * on a connection must not slow, break or fail the well-formed calls beside them.
 */
export function startBackgroundProbe(goals: RawClient, meals: RawClient, world: FuzzWorld, timeoutMs = 5000) {
  const tally: ProbeTally = { calls: 0, failures: [] };
  const calls = knownGoodCalls(world);
  let running = true;
  const loop = async (client: RawClient, call: { path: string; body: Uint8Array }) => {
    while (running) {
      const outcome = await client.call(call.path, call.body, timeoutMs);
      tally.calls += 1;
      if (outcome.code !== status.OK)
        tally.failures.push(`${call.path}: ${status[outcome.code]} ${outcome.message.slice(0, 200)}`);
    }
  };
  const loops = Promise.all([loop(goals, calls.getGoal), loop(meals, calls.getMeal)]);
  return {
    tally,
    async stop(): Promise<ProbeTally> {
      running = false;
      await loops;
      return tally;
    },
  };
}
