import { createConnection, type Connection } from "mysql2/promise";
import type { CallScope } from "../../shared/call/CallScope.js";
import { Database } from "../../shared/database/Database.js";
import { NodeRouter, ROW_FORMAT } from "../../shared/database/NodeRouter.js";
import { sessionStatements } from "../../shared/database/openDatabase.js";
import type { MysqlServerAddress } from "../../shared/config/environmentParsers.js";
import type { LoadJob } from "../loadProtocol.js";

/** The services' default (DB_LOCK_WAIT_SECONDS), so ceiling statements wait for locks just as theirs do. */
const LOCK_WAIT_SECONDS = 5;

const connectionOptions = (job: LoadJob, database: string) => ({ ...job.targets.mysql, database, ...ROW_FORMAT });

/**
 * One connection per loop: the ceiling never waits for a pooled connection,
 * only for the database, so no implementation with any pool size can beat it
 * at this concurrency. Each session as openDatabase sets the services' own.
 */
export async function openLoopConnections(job: LoadJob, database: string): Promise<Connection[]> {
  return Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      const connection = await createConnection(connectionOptions(job, database));
      for (const statement of sessionStatements(LOCK_WAIT_SECONDS)(false)) await connection.query(statement);
      return connection;
    }),
  );
}

export async function closeConnections(connections: Connection[]): Promise<void> {
  await Promise.all(connections.map((connection) => connection.end()));
}

/**
 * The services' own Database class over one connection per loop, so a ceiling
 * can run the repositories' statements and transactions exactly as the
 * services do (the same texts, batches and round trips), only without gRPC.
 */
export async function openLoopDatabases(job: LoadJob, database: string): Promise<Database[]> {
  return Promise.all(Array.from({ length: job.concurrency }, () => openSharedDatabase(job.targets.mysql, database, 1)));
}

/** The services' Database class over a pool of `connections`, for short autocommit reads that loops share. */
export async function openSharedDatabase(
  { host, port, user, password }: MysqlServerAddress,
  database: string,
  connections: number,
): Promise<Database> {
  const router = new NodeRouter({
    servers: { nodes: [{ host, port }], user, password },
    database,
    poolSize: connections,
    poolQueueLimit: 1000,
    sessionStatements: sessionStatements(LOCK_WAIT_SECONDS),
  });
  await router.active();
  // "mariadb": LOCK IN SHARE MODE, which MySQL 8 also still accepts.
  return new Database(router, "mariadb");
}

export async function closeDatabases(databases: Database[]): Promise<void> {
  await Promise.all(databases.map((database) => database.close()));
}

/** The scope of one ceiling call: the bench's call timeout, never cancelled. */
export function ceilingCallScope(job: LoadJob): CallScope {
  return { deadline: Date.now() + job.callTimeoutMs, signal: new AbortController().signal };
}
