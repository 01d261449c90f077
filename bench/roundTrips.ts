import type { Connection } from "mysql2/promise";
import { GoalRepository } from "../services/goals/repository/GoalRepository.js";
import { dayWindowAt } from "../services/meals/domain/calendar.js";
import { MealRepository } from "../services/meals/repository/MealRepository.js";
import type { GoalBoundAnswer } from "../services/meals/protocol/GoalVersionProtocol.js";
import { eatenWithin } from "../services/meals/repository/mealLogLocks.js";
import { recommendation } from "../services/meals/repository/recommendWithinGoal.js";
import type { Database } from "../shared/database/Database.js";
import { runTransaction } from "../shared/database/Transaction.js";
import { closeDatabases, openSharedDatabase } from "./ceilings/loopConnections.js";
import type { LoadTargets } from "./loadProtocol.js";

/** Database round trips one call makes on a path, counted by the services' Database class. */
export interface RoundTripCount {
  rpc: string;
  path: string;
  /** The write RPCs, whose common path issue 14 bounds at two round trips. */
  write: boolean;
  roundTrips: number;
}

const CENSUS_PREFIX = "census-";
const scope = () => ({ deadline: Date.now() + 10_000, signal: new AbortController().signal });

async function counted(database: Database, work: () => Promise<unknown>): Promise<number> {
  const before = database.roundTrips;
  await work();
  return database.roundTrips - before;
}

/**
 * Runs each RPC's database work once on its common path (no conflict, no
 * retry) through the repositories the services run, on the bench's databases,
 * and counts the round trips the Database class sent. The handlers send
 * nothing of their own; summaries and recommendations add the goals check,
 * which is a gRPC call, not a round trip. Census customers are removed after.
 */
export async function countRoundTrips(
  targets: LoadTargets,
  goalsDb: Connection,
  mealsDb?: Connection,
): Promise<RoundTripCount[]> {
  const goalsDatabase = await openSharedDatabase(targets.mysql, targets.goalsDatabase, 1);
  const mealsDatabase = targets.mealsDatabase ? await openSharedDatabase(targets.mysql, targets.mealsDatabase, 1) : undefined;
  const counts: RoundTripCount[] = [];
  const count = async (database: Database, rpc: string, path: string, write: boolean, work: () => Promise<unknown>) =>
    counts.push({ rpc, path, write, roundTrips: await counted(database, work) });
  try {
    const goals = new GoalRepository(goalsDatabase);
    const customer = `${CENSUS_PREFIX}goal`;
    const fields = { dailyCalories: 2000, kind: "DIET" as const, description: "census" };
    await count(goalsDatabase, "CreateGoal", "new goal", true, () => goals.createGoal(customer, fields, undefined, scope()));
    await count(goalsDatabase, "CreateGoal", "new goal, with request_id", true, () =>
      goals.createGoal(`${customer}-r`, fields, "census-request", scope()),
    );
    await count(goalsDatabase, "GetGoal", "found", false, () => goals.findGoal(customer));
    await count(goalsDatabase, "UpdateGoal", "without etag", true, () =>
      goals.updateGoal(customer, { dailyCalories: 2100 }, undefined, scope()),
    );
    const current = await goals.findGoal(customer);
    await count(goalsDatabase, "UpdateGoal", "with the current etag", true, () =>
      goals.updateGoal(customer, { dailyCalories: 2200 }, current!.version, scope()),
    );
    await count(goalsDatabase, "DeleteGoal", "without etag", true, () => goals.deleteGoal(customer, undefined, scope()));

    if (mealsDatabase) {
      const meals = new MealRepository(mealsDatabase);
      const meal = { name: "Census soup", calories: 300, rating: 4, cuisine: "Census", eatenTime: new Date() };
      let mealId = "";
      await count(mealsDatabase, "CreateMeal", "new meal", true, async () => {
        mealId = (await meals.createMeal(customer, meal, undefined, scope())).mealId;
      });
      await count(mealsDatabase, "CreateMeal", "new meal, with request_id", true, () =>
        meals.createMeal(customer, meal, "census-request", scope()),
      );
      await count(mealsDatabase, "UpdateMeal", "without etag", true, () =>
        meals.updateMeal(customer, mealId, { calories: 350 }, undefined, scope()),
      );
      await count(mealsDatabase, "DeleteMeal", "without etag", true, () =>
        meals.deleteMeal(customer, mealId, undefined, scope()),
      );
      const today = dayWindowAt(new Date(), "UTC");
      const goal = { dailyCalories: 2000, version: "1" };
      const underGoal = <Held, T>(answer: GoalBoundAnswer<Held, T>) =>
        runTransaction(
          mealsDatabase,
          async (transaction) => answer.compute(transaction, goal, await answer.hold(transaction)),
          scope(),
        );
      await count(mealsDatabase, "GetDailySummary", "transaction (the goal is a gRPC call)", false, () =>
        underGoal(eatenWithin(customer, today)),
      );
      await count(mealsDatabase, "RecommendMeals", "transaction (the goal is a gRPC call)", false, () =>
        underGoal(recommendation({ customerId: customer, today, now: new Date(), maxResults: 3 })),
      );
    }
  } finally {
    await closeDatabases(mealsDatabase ? [goalsDatabase, mealsDatabase] : [goalsDatabase]);
    const census = `${CENSUS_PREFIX}%`;
    await goalsDb.query("DELETE FROM goals WHERE customer_id LIKE ?", [census]);
    await goalsDb.query("DELETE FROM goal_revisions WHERE customer_id LIKE ?", [census]);
    await mealsDb?.query("DELETE FROM meals WHERE customer_id LIKE ?", [census]);
    await mealsDb?.query("DELETE FROM meal_logs WHERE customer_id LIKE ?", [census]);
  }
  return counts;
}
