import type { RowDataPacket } from "mysql2";
import { createConnection } from "mysql2/promise";
import { DataSource, type MigrationInterface } from "typeorm";

/** A TypeORM migration class, as the services list theirs. */
export type MigrationClass = new () => MigrationInterface;
import type { MysqlServerAddress } from "../config/environmentParsers.js";
import { Database } from "./Database.js";
import type { SqlDialect } from "./Transaction.js";

export interface DatabaseOptions {
  server: MysqlServerAddress;
  database: string;
  migrations: MigrationClass[];
  poolSize: number;
  /** Requests allowed to wait for a pooled connection before new ones fail fast. */
  poolQueueLimit: number;
  /** Seconds a statement may wait for a row lock; far below any sensible call deadline. */
  lockWaitTimeoutSeconds: number;
}

/**
 * Which server this is: MariaDB (10.x, 11.x) rejects MySQL 8's FOR SHARE
 * (shareLockClause), and TypeORM's driver for the migrations must match it.
 */
export function dialectOf(serverVersion: string): SqlDialect {
  return /mariadb/i.test(serverVersion) ? "mariadb" : "mysql";
}

async function prepareServer({ server, database }: DatabaseOptions): Promise<SqlDialect> {
  const connection = await createConnection({ ...server, connectTimeout: 5000 });
  try {
    const [rows] = await connection.query<RowDataPacket[]>("SELECT VERSION() AS version");
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return dialectOf(String(rows[0]?.version));
  } finally {
    await connection.end();
  }
}

/** Connects to the service's own database, creating it if missing, and migrates it. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const dialect = await prepareServer(options);
  const { server, database, migrations, poolSize, poolQueueLimit, lockWaitTimeoutSeconds } = options;
  const dataSource = new DataSource({
    type: dialect,
    host: server.host,
    port: server.port,
    username: server.user,
    password: server.password,
    database,
    migrations,
    migrationsTableName: "schema_migrations",
    synchronize: false,
    timezone: "Z",
    charset: "utf8mb4_unicode_ci",
    poolSize,
    extra: { queueLimit: poolQueueLimit, enableKeepAlive: true },
  });
  await dataSource.initialize();
  // Every transaction of the service runs at REPEATABLE READ because every
  // session is set to it here, once per connection, instead of by a
  // SET TRANSACTION round trip before each transaction.
  const sessionDefaults = [
    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    `SET SESSION innodb_lock_wait_timeout = ${lockWaitTimeoutSeconds}, time_zone = '+00:00'`,
  ];
  const opened = new Database(dataSource, dialect);
  await opened.setSessionDefaults(sessionDefaults);
  await dataSource.runMigrations({ transaction: "each" });
  return opened;
}
