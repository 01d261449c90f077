import { createConnection, type Connection } from "mysql2/promise";
import type { LoadJob } from "../loadProtocol.js";

/**
 * The session openDatabase gives each of the services' pooled connections:
 * REPEATABLE READ once per connection rather than per transaction, and the
 * same lock wait, so ceiling statements wait for locks just as theirs do.
 */
const SESSION_DEFAULTS = [
  "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
  "SET SESSION innodb_lock_wait_timeout = 5, time_zone = '+00:00'",
];

/**
 * One connection per loop: the ceiling never waits for a pooled connection,
 * only for the database, so no implementation with any pool size can beat it
 * at this concurrency. Options as TypeORM sets them for the services.
 */
export async function openLoopConnections(job: LoadJob, database: string): Promise<Connection[]> {
  return Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      const connection = await createConnection({
        ...job.targets.mysql,
        database,
        timezone: "Z",
        charset: "utf8mb4_unicode_ci",
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
      for (const statement of SESSION_DEFAULTS) await connection.query(statement);
      return connection;
    }),
  );
}

export async function closeConnections(connections: Connection[]): Promise<void> {
  await Promise.all(connections.map((connection) => connection.end()));
}
