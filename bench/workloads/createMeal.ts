import type { RowDataPacket } from "mysql2/promise";
import { Meal } from "@mealplan/client";
import { createMealsClient } from "@mealplan/client";
import { randomCustomerId } from "../catalog.js";
import { randomMealFields } from "../seedCatalog.js";
import { measureAgainstCeilings } from "../measureAgainstCeilings.js";
import type { Bench, Workload } from "../Workload.js";
import { unaryCallDriver } from "../unaryCallDriver.js";

/** A meal eaten now (the service's default eaten_time) by a catalog customer, without an idempotency key. */
export const createMealDriver = unaryCallDriver(
  "meals",
  createMealsClient,
  (client) => client.createMeal,
  (job) => ({
    customerId: randomCustomerId(job.catalog),
    meal: Meal.create(randomMealFields()),
    requestId: "",
  }),
);

/**
 * Runs `work` and then deletes the meals it logged: they were eaten today, and
 * left in place they would use up the customers' goals and make every later
 * recommendation cheaper (nothing fits, nothing to rank).
 */
export async function withCatalogRestored<T>(bench: Bench, work: () => Promise<T>): Promise<T> {
  const db = bench.mealsDb!;
  const [rows] = await db.query<RowDataPacket[]>("SELECT COALESCE(MAX(meal_id), 0) AS last FROM meals");
  const last = String(rows[0].last);
  try {
    return await work();
  } finally {
    await db.query("DELETE FROM meals WHERE meal_id > ?", [last]);
  }
}

/** Logging a meal: one exclusive meal-log row lock and one INSERT per call. */
export const createMealWorkload: Workload = {
  name: "CreateMeal",
  services: ["meals"],
  run: (bench) =>
    withCatalogRestored(bench, async () => [
      await measureAgainstCeilings(bench, {
        id: "CreateMeal",
        name: "CreateMeal",
        label: "CreateMeal",
        spec: { driver: "CreateMeal" },
      }),
    ]),
};
