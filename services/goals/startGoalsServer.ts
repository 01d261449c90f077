import { openDatabase } from "../../shared/database/openDatabase.js";
import { startGrpcServer } from "../../shared/grpc/startGrpcServer.js";
import type { Logger } from "../../shared/logging/Logger.js";
import type { GoalsConfig } from "./config.js";
import { goalsService } from "./goalsService.js";
import { GoalEntity, GoalRevisionEntity } from "./repository/goalEntities.js";
import { CreateGoalTables1764270000000 } from "./repository/migrations/CreateGoalTables1764270000000.js";

export interface RunningService {
  readonly port: number;
  /** Graceful: stop taking calls, let those in flight finish (up to the grace period), close the pool. */
  stop(): Promise<void>;
}

export async function startGoalsServer(config: GoalsConfig, logger: Logger): Promise<RunningService> {
  const dataSource = await openDatabase({
    server: config.mysql,
    database: config.database,
    entities: [GoalEntity, GoalRevisionEntity],
    migrations: [CreateGoalTables1764270000000],
    poolSize: config.poolSize,
    poolQueueLimit: config.poolQueueLimit,
    lockWaitTimeoutSeconds: config.lockWaitTimeoutSeconds,
  });
  try {
    const server = await startGrpcServer({
      listen: config.listen,
      services: [goalsService(dataSource, logger, config.defaultDeadlineMs)],
      logger,
    });
    return {
      port: server.port,
      stop: async () => {
        await server.shutdown(config.shutdownGraceMs);
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
