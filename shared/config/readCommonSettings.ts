import { readMysqlUrl, readPositiveInteger, type Environment, type MysqlServerAddress } from "./environmentParsers.js";

/** Settings both services read the same way. */
export interface CommonSettings {
  mysql: MysqlServerAddress;
  poolSize: number;
  poolQueueLimit: number;
  lockWaitTimeoutSeconds: number;
  defaultDeadlineMs: number;
  shutdownGraceMs: number;
}

export const COMMON_SETTINGS_HELP = `  MYSQL_URL            MySQL 8 or MariaDB 10.11+ server (default mysql://root@127.0.0.1:3306)
  DB_POOL_SIZE         database connections (default 10)
  DB_POOL_QUEUE_LIMIT  calls that may wait for a connection before the rest get UNAVAILABLE (default 500)
  DB_LOCK_WAIT_SECONDS innodb_lock_wait_timeout of each connection (default 5)
  DEFAULT_DEADLINE_MS  deadline of calls that arrive without one (default 10000)
  SHUTDOWN_GRACE_MS    how long calls in flight may finish after SIGTERM/SIGINT (default 10000)`;

export function readCommonSettings(env: Environment): CommonSettings {
  return {
    mysql: readMysqlUrl(env),
    poolSize: readPositiveInteger(env, "DB_POOL_SIZE", 10),
    poolQueueLimit: readPositiveInteger(env, "DB_POOL_QUEUE_LIMIT", 500),
    lockWaitTimeoutSeconds: readPositiveInteger(env, "DB_LOCK_WAIT_SECONDS", 5),
    defaultDeadlineMs: readPositiveInteger(env, "DEFAULT_DEADLINE_MS", 10000),
    shutdownGraceMs: readPositiveInteger(env, "SHUTDOWN_GRACE_MS", 10000),
  };
}
