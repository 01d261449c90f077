import type { Logger } from "../../shared/logging/Logger.js";
import { channelCredentials } from "../../shared/security/tlsSettings.js";
import { startDatabaseService, type RunningService } from "../../shared/process/startDatabaseService.js";
import type { MealsConfig } from "./config.js";
import { GoalsGateway } from "./goals/GoalsGateway.js";
import { MEALS_ERROR_DOMAIN } from "./mealErrors.js";
import { mealsService } from "./mealsService.js";
import { GoalVersionProtocol } from "./protocol/GoalVersionProtocol.js";
import { CoverCatalogScan1796200000000 } from "./repository/migrations/CoverCatalogScan1796200000000.js";
import { CoverCustomerHistory1796100000000 } from "./repository/migrations/CoverCustomerHistory1796100000000.js";
import { CreateMealTables1764271000000 } from "./repository/migrations/CreateMealTables1764271000000.js";

/** The meals database's migrations, in order. */
export const MEALS_MIGRATIONS = [CreateMealTables1764271000000, CoverCustomerHistory1796100000000, CoverCatalogScan1796200000000];

export function startMealsServer(config: MealsConfig, logger: Logger): Promise<RunningService> {
  return startDatabaseService({
    settings: config,
    database: config.database,
    listen: config.listen,
    errorDomain: MEALS_ERROR_DOMAIN,
    logger,
    migrations: MEALS_MIGRATIONS,
    createServices: (database, metrics) => {
      const goals = new GoalsGateway({
        target: config.goalsTarget,
        credentials: channelCredentials(config.goalsTls),
        callTimeoutMs: config.goalsCallTimeoutMs,
        onCallEnded: metrics && ((code) => metrics.goalsClientCallEnded(code)),
      });
      const protocol = new GoalVersionProtocol(database, goals, config.goalsCheckConnections);
      if (metrics !== undefined) protocol.onRestart = () => metrics.versionProtocolRestarted();
      return {
        services: [mealsService(database, protocol, goals, logger, config.defaultDeadlineMs)],
        close: () => goals.close(),
      };
    },
  });
}
