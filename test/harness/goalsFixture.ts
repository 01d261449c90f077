import { createGoalsClient, type GoalsClient } from "@mealplan/client";
import type { Connection } from "mysql2/promise";
import { readGoalsConfig } from "../../services/goals/config.js";
import { startGoalsServer } from "../../services/goals/startGoalsServer.js";
import { captureLogger } from "./captureLogger.js";
import { dropDatabase, openTestConnection, throwawayDatabaseName } from "./testDatabase.js";

export interface GoalsFixture {
  address: string;
  database: string;
  /** A connection of the test's own to that database, for assertions on what it really holds. */
  db: Connection;
  goals: GoalsClient;
  logs: Record<string, unknown>[];
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
}

/** A goals server on a free loopback port over a database of its own. */
export async function startGoalsFixture(environment: Record<string, string> = {}): Promise<GoalsFixture> {
  const database = throwawayDatabaseName("goals");
  const config = readGoalsConfig({ ...process.env, GOALS_DB: database, GOALS_LISTEN: "127.0.0.1:0", ...environment });
  const { logger, lines } = captureLogger("goals");
  const server = await startGoalsServer(config, logger);
  const address = `127.0.0.1:${server.port}`;
  const goals = createGoalsClient(address);
  const db = await openTestConnection(database);
  return {
    address,
    database,
    db,
    goals,
    logs: lines,
    stop: async () => {
      await db.end();
      goals.close();
      await server.stop();
      await dropDatabase(database);
    },
  };
}
