import { credentials } from "@grpc/grpc-js";
import { callUnary } from "../../shared/grpc/callUnary.js";
import { GoalsServiceClient } from "../../gen/mealplan/goals/v1/goals.js";
import { randomCustomerId } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Workload } from "../Workload.js";

export const getGoalDriver: LoadDriverFactory = async (job) => {
  const client = new GoalsServiceClient(requireTarget(job.targets.goals, "goals"), credentials.createInsecure());
  return {
    call: async () => {
      await callUnary(client, client.getGoal, { customerId: randomCustomerId(job.catalog) }, Date.now() + job.callTimeoutMs);
      return 0;
    },
    close: async () => client.close(),
  };
};

/** A point read: what the service adds to one primary-key SELECT is almost all transport and framework. */
export const getGoalWorkload: Workload = {
  name: "GetGoal",
  services: ["goals"],
  run: async (bench) => [await measureAgainstCeilings(bench, { id: "GetGoal", name: "GetGoal", label: "GetGoal", spec: { driver: "GetGoal" } })],
};
