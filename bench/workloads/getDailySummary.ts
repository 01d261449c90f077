import { createMealsClient } from "@mealplan/client";
import { randomCustomerId } from "../catalog.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Workload } from "../Workload.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

export const getDailySummaryDriver = unaryCallDriver(
  "meals",
  createMealsClient,
  (client) => client.getDailySummary,
  (job) => ({
    customerId: randomCustomerId(job.catalog),
    date: "",
    timeZone: "",
  }),
);

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
