import { createMealsClient, type MealsClient } from "@mealplan/client";
import type { Connection } from "mysql2/promise";
import type { Database } from "../../shared/database/Database.js";
import { readMealsConfig } from "../../services/meals/config.js";
import { startMealsServer } from "../../services/meals/startMealsServer.js";
import { openDatabase } from "../../shared/database/openDatabase.js";
import { captureLogger } from "./captureLogger.js";
import { startGoalsFixture, type GoalsFixture } from "./goalsFixture.js";
import { dropDatabase, mysqlNodes, openTestConnection, throwawayDatabaseName } from "./testDatabase.js";

export interface MealplanFixture extends GoalsFixture {
  mealsAddress: string;
  mealsDatabase: string;
  /** A connection of the test's own to the meals database. */
  mealsDb: Connection;
  meals: MealsClient;
  mealsLogs: Record<string, unknown>[];
}

/**
 * Both services on free loopback ports, each over a throwaway database, the
 * meals service reaching goals through GOALS_TARGET (overridable, e.g. to an
 * address where nothing answers, or, given the goals address, to a proxy in front of it).
 */
export async function startMealplanFixture(
  mealsEnvironment: Record<string, string> | ((goalsAddress: string) => Promise<Record<string, string>>) = {},
): Promise<MealplanFixture> {
  const goalsFixture = await startGoalsFixture();
  const mealsDatabase = throwawayDatabaseName("meals");
  const config = readMealsConfig({
    ...process.env,
    MEALS_DB: mealsDatabase,
    MEALS_LISTEN: "127.0.0.1:0",
    GOALS_TARGET: goalsFixture.address,
    ...(typeof mealsEnvironment === "function" ? await mealsEnvironment(goalsFixture.address) : mealsEnvironment),
  });
  const { logger, lines } = captureLogger("meals");
  const server = await startMealsServer(config, logger);
  const mealsAddress = `127.0.0.1:${server.port}`;
  const meals = createMealsClient(mealsAddress);
  const mealsDb = await openTestConnection(mealsDatabase);
  return {
    ...goalsFixture,
    mealsAddress,
    mealsDatabase,
    mealsDb,
    meals,
    mealsLogs: lines,
    stop: async () => {
      await mealsDb.end();
      meals.close();
      await server.stop();
      await dropDatabase(mealsDatabase);
      await goalsFixture.stop();
    },
  };
}

/** The meals database through the service's own data layer, for tests that drive it below the gRPC surface. */
export function openMealsDatabase(database: string): Promise<Database> {
  return openDatabase({
    servers: mysqlNodes,
    database,
    migrations: [],
    poolSize: 4,
    poolQueueLimit: 50,
    lockWaitTimeoutSeconds: 10,
  });
}
