import type { Workload } from "../Workload.js";
import { withCatalogRestored } from "./createMeal.js";

/**
 * CreateMeal from one client process, first alone and then while another
 * process asks for recommendations over the same customers: whether the
 * recommendations' share locks on meal logs and picked meals hold the writes
 * up. Row lock waits in the CPU table tell locks apart from plain CPU contention.
 */
export const mixWorkload: Workload = {
  name: "Mix",
  services: ["goals", "meals"],
  run: (bench) =>
    withCatalogRestored(bench, async () => {
      const half = Math.max(1, Math.floor(bench.options.concurrency / 2));
      const writes = { driver: "CreateMeal", processes: 1, concurrency: half };
      const [alone] = await bench.measure("Mix: CreateMeal alone", [writes]);
      const [service, recommendations] = await bench.measure("Mix", [
        writes,
        { driver: "RecommendMeals", processes: 1, concurrency: half },
      ]);
      return [
        {
          id: "Mix",
          name: "Mix: CreateMeal while RecommendMeals runs",
          service: service,
          baseline: alone,
          notes: [
            `Mix: RecommendMeals alongside made ${recommendations.measurement.callsPerSecond} calls/s ` +
              `(p99 ${recommendations.measurement.p99Ms.toFixed(1)} ms); ${service.system.rowLockWaits} row lock waits ` +
              `while mixed, ${alone.system.rowLockWaits} alone`,
          ],
        },
      ];
    }),
};
