import { credentials } from "@grpc/grpc-js";
import { callUnary } from "../../shared/grpc/callUnary.js";
import { Goal, GoalsServiceClient } from "../../gen/mealplan/goals/v1/goals.js";
import { randomCustomerId, randomInteger } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Workload } from "../Workload.js";

/** Seeded goals and every update stay in this range, so meals workloads keep finding room left in the day. */
export const DAILY_CALORIES_RANGE = [1800, 3000] as const;

export const updateGoalDriver: LoadDriverFactory = async (job) => {
  const client = new GoalsServiceClient(requireTarget(job.targets.goals, "goals"), credentials.createInsecure());
  return {
    call: async () => {
      const goal = Goal.create({ customerId: randomCustomerId(job.catalog), dailyCalories: randomInteger(...DAILY_CALORIES_RANGE) });
      await callUnary(client, client.updateGoal, { goal, updateMask: ["daily_calories"] }, Date.now() + job.callTimeoutMs);
      return 0;
    },
    close: async () => client.close(),
  };
};

/** Unconditional updates spread over the whole catalog: the write transaction without contention. */
export const updateGoalWorkload: Workload = {
  name: "UpdateGoal",
  services: ["goals"],
  run: async (bench) => [
    await measureAgainstCeilings(bench, {
      id: "UpdateGoal",
      name: "UpdateGoal (many customers)",
      label: "UpdateGoal",
      spec: { driver: "UpdateGoal" },
    }),
  ],
};
