import { CAUSAL_STATEMENTS } from "../config/readCommonSettings.js";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import { DataSource, type MigrationInterface } from "typeorm";
import { type MysqlNodes, NodeRouter, type ActiveNode, type NodeChange } from "./NodeRouter.js";
import { Database } from "./Database.js";
import { withMigrationLock } from "./migrationLock.js";
import type { SqlDialect } from "./Transaction.js";

/** A TypeORM migration class, as the services list theirs. */
export type MigrationClass = new () => MigrationInterface;

export interface DatabaseOptions {
  /** One server, or the nodes of a Galera cluster in the order this replica prefers them. */
  servers: MysqlNodes;
  database: string;
  /** Migration classes, run in order of their timestamps (TypeORM). */
  migrations: MigrationClass[];
  poolSize: number;
  /** Requests allowed to wait for a pooled connection before new ones fail fast. */
  poolQueueLimit: number;
  /** Seconds a statement may wait for a row lock; far below any sensible call deadline. */
  lockWaitTimeoutSeconds: number;
  /** wsrep_sync_wait of every session on a Galera node (default 7: causal reads and writes); not set on other servers. */
  galeraSyncWait?: number;
  /** Told whenever the service moves to another node (NodeRouter). */
  onNodeChange?: (change: NodeChange) => void;
}

/**
 * Which server this is: MariaDB (10.x, 11.x) rejects MySQL 8's FOR SHARE
 * (shareLockClause), and TypeORM's driver for the migrations must match it.
 */
export function dialectOf(serverVersion: string): SqlDialect {
  return /mariadb/i.test(serverVersion) ? "mariadb" : "mysql";
}

function connectToNode({ servers }: DatabaseOptions, node: ActiveNode, database?: string) {
  const { host, port } = servers.nodes[node.index];
  return createConnection({ host, port, user: servers.user, password: servers.password, database, connectTimeout: 5000 });
}

async function prepareServer(options: DatabaseOptions, node: ActiveNode): Promise<SqlDialect> {
  const connection = await connectToNode(options, node);
  try {
    const [rows] = await connection.query<RowDataPacket[]>("SELECT VERSION() AS version");
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${options.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return dialectOf(String(rows[0]?.version));
  } finally {
    await connection.end();
  }
}

/** Runs the pending migrations on `node`, one replica at a time across the cluster (withMigrationLock). */
async function migrate(options: DatabaseOptions, node: ActiveNode, dialect: SqlDialect): Promise<void> {
  const lockConnection = await connectToNode(options, node, options.database);
  try {
    await withMigrationLock(lockConnection, async () => {
      const { host, port } = options.servers.nodes[node.index];
      const dataSource = new DataSource({
        type: dialect,
        host,
        port,
        username: options.servers.user,
        password: options.servers.password,
        database: options.database,
        migrations: options.migrations,
        migrationsTableName: "schema_migrations",
        synchronize: false,
        timezone: "Z",
        charset: "utf8mb4_unicode_ci",
        poolSize: 1,
      });
      await dataSource.initialize();
      try {
        await dataSource.runMigrations({ transaction: "each" });
      } finally {
        await dataSource.destroy();
      }
    });
  } finally {
    await lockConnection.end();
  }
}

/**
 * What every session of a service runs first. Every transaction runs at
 * REPEATABLE READ because every session is set to it here, once per
 * connection, instead of by a SET TRANSACTION round trip before each
 * transaction. On Galera each session also gets wsrep_sync_wait (by default
 * CAUSAL_STATEMENTS): its reads and writes wait until the node has applied
 * what the cluster committed before they began (docs/concurrency.md).
 */
export function sessionStatements(
  lockWaitTimeoutSeconds: number,
  galeraSyncWait = CAUSAL_STATEMENTS,
): (galera: boolean) => string[] {
  return (galera) => [
    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    `SET SESSION innodb_lock_wait_timeout = ${lockWaitTimeoutSeconds}, time_zone = '+00:00'` +
      (galera ? `, wsrep_sync_wait = ${galeraSyncWait}` : ""),
  ];
}

/** Connects to the service's own database on its first fit node, creating the database if missing, and migrates it. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const router = new NodeRouter({
    servers: options.servers,
    database: options.database,
    poolSize: options.poolSize,
    poolQueueLimit: options.poolQueueLimit,
    sessionStatements: sessionStatements(options.lockWaitTimeoutSeconds, options.galeraSyncWait),
  });
  if (options.onNodeChange) router.onNodeChange = options.onNodeChange;
  try {
    const node = await router.active();
    const dialect = await prepareServer(options, node);
    await migrate(options, node, dialect);
    return new Database(router, dialect);
  } catch (error) {
    await router.close();
    throw error;
  }
}
