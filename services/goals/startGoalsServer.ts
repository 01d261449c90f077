import type { Logger } from "../../shared/logging/Logger.js";
import { startDatabaseService, type RunningService } from "../../shared/process/startDatabaseService.js";
import type { GoalsConfig } from "./config.js";
import { GOALS_ERROR_DOMAIN } from "./goalErrors.js";
import { goalsService } from "./goalsService.js";
import { CreateGoalTables1764270000000 } from "./repository/migrations/CreateGoalTables1764270000000.js";
import { IndexGoalRevisionsByTime1795945000000 } from "./repository/migrations/IndexGoalRevisionsByTime1795945000000.js";

/** The goals database's migrations, in order. */
export const GOALS_MIGRATIONS = [CreateGoalTables1764270000000, IndexGoalRevisionsByTime1795945000000];

export function startGoalsServer(config: GoalsConfig, logger: Logger): Promise<RunningService> {
  return startDatabaseService({
    settings: config,
    database: config.database,
    listen: config.listen,
    errorDomain: GOALS_ERROR_DOMAIN,
    logger,
    migrations: GOALS_MIGRATIONS,
    createServices: (dataSource) => ({ services: [goalsService(dataSource, logger, config.defaultDeadlineMs)] }),
  });
}
