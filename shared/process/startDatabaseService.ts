import type { CommonSettings } from "../config/readCommonSettings.js";
import type { Database } from "../database/Database.js";
import { openDatabase, type MigrationClass } from "../database/openDatabase.js";
import { startGrpcServer, type GrpcServiceRegistration, type RunningGrpcServer } from "../grpc/startGrpcServer.js";
import type { Logger } from "../logging/Logger.js";
import { ServiceMetrics } from "../observability/metrics.js";
import { startMetricsServer, type RunningMetricsServer } from "../observability/metricsServer.js";
import type { ServingSettings } from "./servingSettings.js";
import { watchDatabaseReachable } from "./watchDatabaseReachable.js";

export interface RunningService {
  readonly port: number;
  /** The port of the metrics endpoint, when METRICS_LISTEN asked for one. */
  readonly metricsPort: number | undefined;
  /** Graceful: stop taking calls, let those in flight finish (up to the grace period), close the pool. */
  stop(): Promise<void>;
}

export interface ServiceParts {
  services: GrpcServiceRegistration[];
  /** Releases what the services hold besides the database, e.g. client channels. */
  close?(): void;
}

export interface DatabaseServiceOptions {
  settings: CommonSettings & ServingSettings;
  database: string;
  listen: string;
  /** ErrorInfo.domain of the calls the server refuses itself (authorization). */
  errorDomain: string;
  logger: Logger;
  migrations: MigrationClass[];
  /** `metrics` is undefined when the service serves none (no METRICS_LISTEN). */
  createServices(database: Database, metrics: ServiceMetrics | undefined): ServiceParts;
}

/**
 * Opens and migrates the service's database, then serves its gRPC services
 * over it; with the metrics endpoint when asked for, and health checks that
 * follow whether the database can be reached.
 */
export async function startDatabaseService(options: DatabaseServiceOptions): Promise<RunningService> {
  const { settings, listen, logger, migrations, errorDomain } = options;
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
  const metrics =
    settings.metricsListen === undefined
      ? undefined
      : new ServiceMetrics({
          databasePool: () => {
            const { inUse, waiting } = database.poolUsage();
            return { connectionsInUse: inUse, callersWaiting: waiting };
          },
        });
  if (metrics !== undefined) database.onTransactionRetry = (errno) => metrics.transactionRetried(errno);
  const parts = options.createServices(database, metrics);
  const release = async () => {
    parts.close?.();
    await database.close();
  };
  let server: RunningGrpcServer;
  let metricsServer: RunningMetricsServer | undefined;
  try {
    // Metrics first: once the service logs that it is listening, everything it serves is up.
    if (metrics !== undefined && settings.metricsListen !== undefined) {
      metricsServer = await startMetricsServer(settings.metricsListen, metrics);
      logger.info("serving metrics", { address: settings.metricsListen, port: metricsServer.port });
    }
    server = await startGrpcServer({
      listen,
      services: parts.services,
      logger,
      tls: settings.tls,
      authorization: settings.accessPolicy && { policy: settings.accessPolicy, errorDomain },
      metrics,
    });
  } catch (error) {
    await metricsServer?.stop(0);
    await release();
    throw error;
  }
  const watch = watchDatabaseReachable({
    servers: settings.mysql,
    database: options.database,
    logger,
    onChange: (reachable) => server.setServing(reachable),
  });
  return {
    port: server.port,
    metricsPort: metricsServer?.port,
    stop: async () => {
      await watch.stop();
      await server.shutdown(settings.shutdownGraceMs);
      // Scraped until the calls have ended, so that the last scrape counts them all.
      await metricsServer?.stop();
      await release();
    },
  };
}
