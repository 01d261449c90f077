import type { Workload, WorkloadRow } from "../Workload.js";
import { measureRecommendations } from "./recommendMeals.js";

const SIZES = [10_000, 100_000];
const MILLION = 1_000_000;
const TEN_MILLION = 10_000_000;

/**
 * RecommendMeals as the catalog grows, 20 meals per customer throughout: the
 * ranking scan is bounded by its index, so latency should hardly move. Runs
 * last because it only ever adds to the catalog.
 */
export const catalogSweepWorkload: Workload = {
  name: "CatalogSweep",
  services: ["goals", "meals"],
  async run(bench) {
    const rows: WorkloadRow[] = [];
    const sizes = [
      ...SIZES,
      ...(bench.options.withMillion ? [MILLION] : []),
      ...(bench.options.withTenMillion ? [TEN_MILLION] : []),
    ];
    for (const size of sizes) {
      if (size < bench.catalog.meals) continue;
      await bench.growCatalog(size);
      const row = await measureRecommendations(
        bench,
        `RecommendMeals@${size}`,
        `RecommendMeals at ${size.toLocaleString("en-US")} meals`,
      );
      rows.push(row);
    }
    return rows;
  },
};
