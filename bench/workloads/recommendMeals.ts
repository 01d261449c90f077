import { createMealsClient } from "@mealplan/client";
import { randomCustomerId } from "../catalog.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Bench, Workload, WorkloadRow } from "../Workload.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

/** The default request: three recommendations for today in UTC. */
export const recommendMealsDriver = unaryCallDriver(
  "meals",
  createMealsClient,
  (client) => client.recommendMeals,
  (job) => ({
    customerId: randomCustomerId(job.catalog),
    maxResults: 0,
    timeZone: "",
  }),
);

/** RecommendMeals and its ceilings at the catalog's current size. */
export function measureRecommendations(bench: Bench, id: string, name: string): Promise<WorkloadRow> {
  const label = `RecommendMeals, ${bench.catalog.meals.toLocaleString("en-US")} meals`;
  return measureAgainstCeilings(bench, { id, name, label, spec: { driver: "RecommendMeals" } });
}

/** Recommendations: a locked, index-bounded ranking scan, checked against the goals service before it is answered. */
export const recommendMealsWorkload: Workload = {
  name: "RecommendMeals",
  services: ["goals", "meals"],
  run: async (bench) => [await measureRecommendations(bench, "RecommendMeals", "RecommendMeals")],
};
