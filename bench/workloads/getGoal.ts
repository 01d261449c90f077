import { createGoalsClient } from "@mealplan/client";
import { randomCustomerId } from "../catalog.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Workload } from "../Workload.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

export const getGoalDriver = unaryCallDriver(
  "goals",
  createGoalsClient,
  (client) => client.getGoal,
  (job) => ({
    customerId: randomCustomerId(job.catalog),
  }),
);

/** A point read: what the service adds to one primary-key SELECT is almost all transport and framework. */
export const getGoalWorkload: Workload = {
  name: "GetGoal",
  services: ["goals"],
  run: async (bench) => {
    const row = await measureAgainstCeilings(bench, {
      id: "GetGoal",
      name: "GetGoal",
      label: "GetGoal",
      spec: { driver: "GetGoal" },
    });
    row.floor = await bench.measureCeiling("GetGoal, grpc-js + mysql2 floor", { driver: "floor:GetGoal" });
    return [row];
  },
};
