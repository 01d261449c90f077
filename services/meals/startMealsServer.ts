import { openDatabase } from "../../shared/database/openDatabase.js";
import { startGrpcServer } from "../../shared/grpc/startGrpcServer.js";
import type { Logger } from "../../shared/logging/Logger.js";
import type { RunningService } from "../goals/startGoalsServer.js";
import type { MealsConfig } from "./config.js";
import { GoalsGateway } from "./goals/GoalsGateway.js";
import { mealsService } from "./mealsService.js";
import { MealEntity, MealLogEntity } from "./repository/mealEntities.js";
import { CreateMealTables1764271000000 } from "./repository/migrations/CreateMealTables1764271000000.js";

export async function startMealsServer(config: MealsConfig, logger: Logger): Promise<RunningService> {
  const dataSource = await openDatabase({
    server: config.mysql,
    database: config.database,
    entities: [MealEntity, MealLogEntity],
    migrations: [CreateMealTables1764271000000],
    poolSize: config.poolSize,
    poolQueueLimit: config.poolQueueLimit,
    lockWaitTimeoutSeconds: config.lockWaitTimeoutSeconds,
  });
  const goals = new GoalsGateway(config.goalsTarget);
  try {
    const server = await startGrpcServer({
      listen: config.listen,
      services: [mealsService(dataSource, goals, logger, config.defaultDeadlineMs)],
      logger,
    });
    return {
      port: server.port,
      stop: async () => {
        await server.shutdown(config.shutdownGraceMs);
        goals.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    goals.close();
    await dataSource.destroy();
    throw error;
  }
}
