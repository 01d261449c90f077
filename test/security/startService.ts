import { readGoalsConfig } from "../../services/goals/config.js";
import { startGoalsServer } from "../../services/goals/startGoalsServer.js";
import { readMealsConfig } from "../../services/meals/config.js";
import { startMealsServer } from "../../services/meals/startMealsServer.js";
import type { RunningService } from "../../shared/process/startDatabaseService.js";
import { captureLogger } from "../harness/captureLogger.js";
import { dropDatabase, throwawayDatabaseName } from "../harness/testDatabase.js";

export interface StartedService {
  address: string;
  database: string;
  logs: Record<string, unknown>[];
  running: RunningService;
  stop(): Promise<void>;
}

/** One service in this process on a free loopback port over a throwaway database, configured by `environment` as from the shell. */
export async function startService(name: "goals" | "meals", environment: Record<string, string>): Promise<StartedService> {
  const database = throwawayDatabaseName(name);
  const { logger, lines } = captureLogger(name);
  const running =
    name === "goals"
      ? await startGoalsServer(
          readGoalsConfig({ ...process.env, GOALS_DB: database, GOALS_LISTEN: "127.0.0.1:0", ...environment }),
          logger,
        )
      : await startMealsServer(
          readMealsConfig({ ...process.env, MEALS_DB: database, MEALS_LISTEN: "127.0.0.1:0", ...environment }),
          logger,
        );
  return {
    address: `127.0.0.1:${running.port}`,
    database,
    logs: lines,
    running,
    stop: async () => {
      await running.stop();
      await dropDatabase(database);
    },
  };
}
