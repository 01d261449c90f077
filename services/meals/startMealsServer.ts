import type { Logger } from "../../shared/logging/Logger.js";
import { startDatabaseService, type RunningService } from "../../shared/process/startDatabaseService.js";
import type { MealsConfig } from "./config.js";
import { GoalsGateway } from "./goals/GoalsGateway.js";
import { mealsService } from "./mealsService.js";
import { GoalVersionProtocol } from "./protocol/GoalVersionProtocol.js";
import { CreateMealTables1764271000000 } from "./repository/migrations/CreateMealTables1764271000000.js";

export function startMealsServer(config: MealsConfig, logger: Logger): Promise<RunningService> {
  return startDatabaseService({
    settings: config,
    database: config.database,
    listen: config.listen,
    logger,
    migrations: [CreateMealTables1764271000000],
    createServices: (database) => {
      const goals = new GoalsGateway({ target: config.goalsTarget, callTimeoutMs: config.goalsCallTimeoutMs });
      const protocol = new GoalVersionProtocol(database, goals, config.goalsCheckConnections);
      return {
        services: [mealsService(database, protocol, goals, logger, config.defaultDeadlineMs)],
        close: () => goals.close(),
      };
    },
  });
}
