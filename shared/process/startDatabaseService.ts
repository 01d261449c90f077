import type { CommonSettings } from "../config/readCommonSettings.js";
import type { Database } from "../database/Database.js";
import { openDatabase, type MigrationClass } from "../database/openDatabase.js";
import { startGrpcServer, type GrpcServiceRegistration } from "../grpc/startGrpcServer.js";
import type { Logger } from "../logging/Logger.js";

export interface RunningService {
  readonly port: number;
  /** Graceful: stop taking calls, let those in flight finish (up to the grace period), close the pool. */
  stop(): Promise<void>;
}

export interface ServiceParts {
  services: GrpcServiceRegistration[];
  /** Releases what the services hold besides the database, e.g. client channels. */
  close?(): void;
}

export interface DatabaseServiceOptions {
  settings: CommonSettings;
  database: string;
  listen: string;
  logger: Logger;
  migrations: MigrationClass[];
  createServices(database: Database): ServiceParts;
}

/** Opens and migrates the service's database, then serves its gRPC services over it. */
export async function startDatabaseService(options: DatabaseServiceOptions): Promise<RunningService> {
  const { settings, listen, logger, migrations } = options;
  const database = await openDatabase({
    servers: settings.mysql,
    database: options.database,
    migrations,
    poolSize: settings.poolSize,
    poolQueueLimit: settings.poolQueueLimit,
    lockWaitTimeoutSeconds: settings.lockWaitTimeoutSeconds,
    galeraSyncWait: settings.galeraSyncWait,
    onNodeChange: (change) => logger.warn("database_node_changed", { ...change }),
  });
  const parts = options.createServices(database);
  const release = async () => {
    parts.close?.();
    await database.close();
  };
  try {
    const server = await startGrpcServer({ listen, services: parts.services, logger });
    return {
      port: server.port,
      stop: async () => {
        await server.shutdown(settings.shutdownGraceMs);
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}
