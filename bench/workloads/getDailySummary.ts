import { credentials } from "@grpc/grpc-js";
import { callUnary } from "../../shared/grpc/callUnary.js";
import { MealsServiceClient } from "../../gen/mealplan/meals/v1/meals.js";
import { randomCustomerId } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Workload } from "../Workload.js";

export const getDailySummaryDriver: LoadDriverFactory = async (job) => {
  const client = new MealsServiceClient(requireTarget(job.targets.meals, "meals"), credentials.createInsecure());
  return {
    call: async () => {
      const request = { customerId: randomCustomerId(job.catalog), date: "", timeZone: "" };
      await callUnary(client, client.getDailySummary, request, Date.now() + job.callTimeoutMs);
      return 0;
    },
    close: async () => client.close(),
  };
};

/** Today's summary: one locked sum, checked against the goals service before it is answered. */
export const getDailySummaryWorkload: Workload = {
  name: "GetDailySummary",
  services: ["goals", "meals"],
  run: async (bench) => [
    await measureAgainstCeilings(bench, {
      id: "GetDailySummary",
      name: "GetDailySummary",
      label: "GetDailySummary",
      spec: { driver: "GetDailySummary" },
    }),
  ],
};
