import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { createConnection, type Connection } from "mysql2/promise";
import type { MysqlNodes } from "../database/NodeRouter.js";
import type { Logger } from "../logging/Logger.js";

export interface DatabaseWatchOptions {
  /** MYSQL_URL's nodes: the database is reachable while one of them is (the service fails over to it). */
  servers: MysqlNodes;
  database: string;
  logger: Logger;
  /** Told when reachability changes (not at every ping). */
  onChange: (reachable: boolean) => void;
  intervalMs?: number;
  /** How long one ping (connecting included) may take before the database counts as unreachable. */
  timeoutMs?: number;
}

export interface DatabaseWatch {
  stop(): Promise<void>;
}

/**
 * Pings the database in the background, on a connection of its own: through
 * the pool, a ping would queue behind the calls of a busy service and report
 * a load peak as an outage. One ping at a time; a connection that failed is
 * dropped and the next ping opens a new one, to the next node of MYSQL_URL's
 * list: the database counts as unreachable only when a ping to each node in
 * turn failed, since the service fails over to any of them. Pings are not traced: a root
 * span a second would bury the traces of calls.
 */
export function watchDatabaseReachable({
  servers,
  database,
  logger,
  onChange,
  intervalMs = 1000,
  timeoutMs = 800,
}: DatabaseWatchOptions): DatabaseWatch {
  let connection: Connection | undefined;
  /** The node pinged; after a failed ping, the next one. */
  let node = 0;
  /** Pings failed in a row: only when every node failed is the database unreachable. */
  let failures = 0;
  let reachable = true;
  let pinging: Promise<void> | undefined;

  const drop = () => {
    connection?.destroy();
    connection = undefined;
  };
  const ping = async () => {
    if (connection === undefined) {
      const { nodes, user, password } = servers;
      connection = await createConnection({ ...nodes[node], user, password, database, connectTimeout: timeoutMs });
      // A server that goes away while the connection idles would otherwise crash the process with an unhandled 'error'.
      connection.on("error", drop);
    }
    await connection.query({ sql: "SELECT 1", timeout: timeoutMs });
  };
  const report = (nowReachable: boolean, error?: unknown) => {
    if (nowReachable === reachable) return;
    reachable = nowReachable;
    if (nowReachable) logger.info("database reachable again", { database });
    else logger.warn("database unreachable", { database, error: error instanceof Error ? error.message : String(error) });
    onChange(nowReachable);
  };

  const timer = setInterval(() => {
    if (pinging !== undefined) return;
    pinging = context
      .with(suppressTracing(context.active()), ping)
      .then(
        () => {
          failures = 0;
          report(true);
        },
        (error: unknown) => {
          drop();
          node = (node + 1) % servers.nodes.length;
          failures += 1;
          if (failures >= servers.nodes.length) report(false, error);
        },
      )
      .finally(() => (pinging = undefined));
  }, intervalMs);
  timer.unref();

  return {
    stop: async () => {
      clearInterval(timer);
      await pinging;
      drop();
    },
  };
}
