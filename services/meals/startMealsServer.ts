import type { Logger } from "../../shared/logging/Logger.js";
import { startDatabaseService, type RunningService } from "../../shared/process/startDatabaseService.js";
import type { MealsConfig } from "./config.js";
import { GoalsGateway } from "./goals/GoalsGateway.js";
import { mealsService } from "./mealsService.js";
import { CreateMealTables1764271000000 } from "./repository/migrations/CreateMealTables1764271000000.js";

export function startMealsServer(config: MealsConfig, logger: Logger): Promise<RunningService> {
  return startDatabaseService({
    settings: config,
    database: config.database,
    listen: config.listen,
    logger,
    migrations: [CreateMealTables1764271000000],
    createServices: (dataSource) => {
      const goals = new GoalsGateway(config.goalsTarget);
      return { services: [mealsService(dataSource, goals, logger, config.defaultDeadlineMs)], close: () => goals.close() };
    },
  });
}
