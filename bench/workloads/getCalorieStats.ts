import { createMealsClient } from "@mealplan/client";
import { randomInteger } from "../catalog.js";
import { seedMeals } from "../seedCatalog.js";
import { unaryCallDriver } from "../unaryCallDriver.js";
import type { Bench, Workload } from "../Workload.js";

/** The period asked for, in a zone with DST, as a chart of the last month would. */
const STATS_DAYS = 30;
const STATS_TIME_ZONE = "Europe/Berlin";
/** Customers per history length: enough that every call reads another customer's rows. */
const STATS_CUSTOMERS = 200;
/** Two meals a day over the period, the same for both history lengths. */
const MEALS_PER_CUSTOMER = 2 * STATS_DAYS;
/** Goal changes before the period: one a day for almost three years. */
const MANY_OLD_REVISIONS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

type HistoryLength = "few" | "many";
const OLD_REVISIONS: Record<HistoryLength, number> = { few: 1, many: MANY_OLD_REVISIONS };

const statsCustomerId = (history: HistoryLength, index: number) => `bench-stats-${history}-${String(index).padStart(4, "0")}`;
const statsCustomers = (history: HistoryLength) =>
  Array.from({ length: STATS_CUSTOMERS }, (_, index) => statsCustomerId(history, index));

function statsDriver(history: HistoryLength) {
  return unaryCallDriver(
    "meals",
    createMealsClient,
    (client) => client.getCalorieStats,
    () => ({
      customerId: statsCustomerId(history, randomInteger(0, STATS_CUSTOMERS - 1)),
      overDays: STATS_DAYS,
      timeZone: STATS_TIME_ZONE,
    }),
  );
}

export const getCalorieStatsDriver = statsDriver("few");
export const getCalorieStatsManyRevisionsDriver = statsDriver("many");

/**
 * Each customer's goal changed `oldRevisions` times, one a day, all before the
 * period, and twice inside it (10 and 3 days ago): the period's history is the
 * revision in force at its start and the two inside, whatever came before.
 */
async function seedGoalHistories(bench: Bench, history: HistoryLength): Promise<void> {
  const oldRevisions = OLD_REVISIONS[history];
  const now = Date.now();
  const firstTime = now - (STATS_DAYS + 5 + oldRevisions) * DAY_MS;
  for (const customerId of statsCustomers(history)) {
    const times = [
      ...Array.from({ length: oldRevisions }, (_, index) => firstTime + index * DAY_MS),
      now - 10 * DAY_MS,
      now - 3 * DAY_MS,
    ];
    const revisions = times.map((time, index) => [
      customerId,
      index + 1,
      index === 0 ? "CREATE" : "UPDATE",
      randomInteger(1500, 2500),
      "DIET",
      "bench",
      new Date(firstTime),
      new Date(time),
      null,
    ]);
    await bench.goalsDb.query(
      `INSERT INTO goal_revisions (customer_id, version, action, daily_calories, kind, description, goal_create_time, revision_time, request_id) VALUES ?`,
      [revisions],
    );
    const newest = revisions[revisions.length - 1];
    await bench.goalsDb.query(
      "INSERT INTO goals (customer_id, daily_calories, kind, description, version, create_time, update_time, delete_time) VALUES (?)",
      [[customerId, newest[3], "DIET", "bench", newest[1], new Date(firstTime), newest[7], null]],
    );
  }
  await seedMeals(bench.mealsDb!, statsCustomers(history), STATS_CUSTOMERS * MEALS_PER_CUSTOMER);
}

/**
 * GetCalorieStats over 30 days: one statement for the period's meals and one
 * ListGoalRevisions call for its goal history. Measured for customers with one
 * goal revision before the period and with 1,000: the history read seeks to
 * the period's start (goal_revisions_customer_time), so the two should cost the same.
 */
export const getCalorieStatsWorkload: Workload = {
  name: "GetCalorieStats",
  services: ["goals", "meals"],
  run: async (bench) => {
    const rows = [];
    for (const history of ["few", "many"] as const) {
      await seedGoalHistories(bench, history);
      const label = `GetCalorieStats, 30 days, ${OLD_REVISIONS[history].toLocaleString("en-US")} older goal revision${history === "few" ? "" : "s"}`;
      const [service] = await bench.measure(label, [
        { driver: history === "few" ? "GetCalorieStats" : "GetCalorieStatsManyRevisions" },
      ]);
      rows.push({ id: `GetCalorieStats-${history}`, name: label, service, notes: [] });
    }
    return rows;
  },
};
