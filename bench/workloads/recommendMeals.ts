import { credentials } from "@grpc/grpc-js";
import { callUnary } from "../../shared/grpc/callUnary.js";
import { MealsServiceClient } from "../../gen/mealplan/meals/v1/meals.js";
import { randomCustomerId } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Bench, Workload, WorkloadRow } from "../Workload.js";

/** The default request: three recommendations for today in UTC. */
export const recommendMealsDriver: LoadDriverFactory = async (job) => {
  const client = new MealsServiceClient(requireTarget(job.targets.meals, "meals"), credentials.createInsecure());
  return {
    call: async () => {
      const request = { customerId: randomCustomerId(job.catalog), maxResults: 0, timeZone: "" };
      await callUnary(client, client.recommendMeals, request, Date.now() + job.callTimeoutMs);
      return 0;
    },
    close: async () => client.close(),
  };
};

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
