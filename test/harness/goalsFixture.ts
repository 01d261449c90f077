import { readGoalsConfig } from "../../services/goals/config.js";
import { startGoalsServer } from "../../services/goals/startGoalsServer.js";
import { GoalsServiceClient, GoalsServiceService } from "../../gen/mealplan/goals/v1/goals.js";
import { captureLogger } from "./captureLogger.js";
import { promiseClient, type PromiseClient } from "./promiseApi.js";
import { dropDatabase, throwawayDatabaseName } from "./testDatabase.js";

export interface GoalsFixture {
  address: string;
  database: string;
  goals: PromiseClient<GoalsServiceClient>;
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
  const goals = promiseClient(GoalsServiceClient, GoalsServiceService, address);
  return {
    address,
    database,
    goals,
    logs: lines,
    stop: async () => {
      goals.close();
      await server.stop();
      await dropDatabase(database);
    },
  };
}
