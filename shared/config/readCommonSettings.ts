import { readIntegerInRange, readMysqlNodes, readPositiveInteger, type Environment } from "./environmentParsers.js";
import type { MysqlNodes } from "../database/NodeRouter.js";

/**
 * wsrep_sync_wait bits: 1 reads, 2 UPDATE and DELETE, 4 INSERT and REPLACE. Writes must be causal too: a
 * version-conditional UPDATE reads the row it changes, and on a node that has not yet applied a write
 * acknowledged elsewhere it would build on the older version; verify caught two acknowledged updates
 * producing the same goal version with reads alone causal (1).
 */
export const CAUSAL_STATEMENTS = 7;

/** Settings both services read the same way. */
export interface CommonSettings {
  mysql: MysqlNodes;
  poolSize: number;
  poolQueueLimit: number;
  lockWaitTimeoutSeconds: number;
  /** wsrep_sync_wait of each session on a Galera node; ignored by a server without Galera. */
  galeraSyncWait: number;
  defaultDeadlineMs: number;
  shutdownGraceMs: number;
}

export const COMMON_SETTINGS_HELP = `  MYSQL_URL            MySQL 8 or MariaDB 10.11+ server, or the nodes of a MariaDB Galera cluster in
                       the order this replica should use them: mysql://user:password@h1:3306,h2:3306,h3:3306.
                       Every statement goes to one node at a time: the first that is Synced, the next
                       when it fails (default mysql://root@127.0.0.1:3306)
  DB_POOL_SIZE         database connections (default 10)
  DB_POOL_QUEUE_LIMIT  calls that may wait for a connection before the rest get UNAVAILABLE (default 500)
  DB_LOCK_WAIT_SECONDS innodb_lock_wait_timeout of each connection (default 5)
  DB_GALERA_SYNC_WAIT  wsrep_sync_wait of each connection to a Galera node (default 7: every read,
                       UPDATE, DELETE and INSERT waits for the writes the cluster committed before it
                       began; 0 lets them be stale and serves only to show that they then are)
  DEFAULT_DEADLINE_MS  deadline of calls that arrive without one (default 10000)
  SHUTDOWN_GRACE_MS    how long calls in flight may finish after SIGTERM/SIGINT (default 10000)`;

export function readCommonSettings(env: Environment): CommonSettings {
  return {
    mysql: readMysqlNodes(env),
    poolSize: readPositiveInteger(env, "DB_POOL_SIZE", 10),
    poolQueueLimit: readPositiveInteger(env, "DB_POOL_QUEUE_LIMIT", 500),
    lockWaitTimeoutSeconds: readPositiveInteger(env, "DB_LOCK_WAIT_SECONDS", 5),
    galeraSyncWait: readIntegerInRange(env, "DB_GALERA_SYNC_WAIT", CAUSAL_STATEMENTS, 0, 15),
    defaultDeadlineMs: readPositiveInteger(env, "DEFAULT_DEADLINE_MS", 10000),
    shutdownGraceMs: readPositiveInteger(env, "SHUTDOWN_GRACE_MS", 10000),
  };
}
