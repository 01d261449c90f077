import { Goal } from "@mealplan/client";
import { createGoalsClient } from "@mealplan/client";
import { randomCustomerId, randomInteger } from "../catalog.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Workload } from "../Workload.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

/** Seeded goals and every update stay in this range, so meals workloads keep finding room left in the day. */
export const DAILY_CALORIES_RANGE = [1800, 3000] as const;

export const updateGoalDriver = unaryCallDriver(
  "goals",
  createGoalsClient,
  (client) => client.updateGoal,
  (job) => ({
    goal: Goal.create({ customerId: randomCustomerId(job.catalog), dailyCalories: randomInteger(...DAILY_CALORIES_RANGE) }),
    updateMask: ["daily_calories"],
  }),
);

/** Unconditional updates spread over the whole catalog: the write transaction without contention. */
export const updateGoalWorkload: Workload = {
  name: "UpdateGoal",
  services: ["goals"],
  run: async (bench) => {
    const row = await measureAgainstCeilings(bench, {
      id: "UpdateGoal",
      name: "UpdateGoal (many customers)",
      label: "UpdateGoal",
      spec: { driver: "UpdateGoal" },
    });
    // The raw-SQL ceiling keeps the statement sequence of before issue 14 (the target's reference); this one runs the service's.
    row.sameStatements = await bench.measureCeiling("UpdateGoal, service's statements without gRPC", {
      driver: "repository:UpdateGoal",
    });
    return [row];
  },
};
