import type { Connection } from "mysql2/promise";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

/** How long a replica waits for another one's migrations before it gives up starting. */
const DEFAULT_WAIT_MS = 5 * 60_000;
/** A holder that has not released the lock in this long died holding it; the lock is taken from it. */
const ABANDONED_AFTER_SECONDS = 15 * 60;
const POLL_MS = 250;

const DUPLICATE_KEY = 1062;
const DEADLOCK_OR_CERTIFICATION_FAILURE = 1213;

const errnoOf = (error: unknown) =>
  typeof error === "object" && error !== null ? (error as { errno?: unknown }).errno : undefined;

/**
 * Runs `work` (the migrations) while this process holds the service's
 * migration lock: one row in a table of the service's database. GET_LOCK would
 * not do on Galera, where it is local to the node; a row insert is certified
 * cluster-wide, so of two replicas inserting it on two nodes, exactly one
 * commits (the other gets a duplicate key, or fails certification with 1213).
 * The others wait, then find the migrations done.
 */
export async function withMigrationLock<T>(connection: Connection, work: () => Promise<T>, waitMs = DEFAULT_WAIT_MS): Promise<T> {
  // DDL runs in total order on Galera: of replicas racing here, each runs it once and all but the first find it done.
  await connection.query(
    `CREATE TABLE IF NOT EXISTS schema_migration_lock (
       id TINYINT PRIMARY KEY,
       holder VARCHAR(255) NOT NULL,
       taken_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
     ) ENGINE=InnoDB`,
  );
  const holder = `${hostname()}:${process.pid}:${Date.now()}`;
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      await connection.query("INSERT INTO schema_migration_lock (id, holder) VALUES (1, ?)", [holder]);
      break;
    } catch (error) {
      const errno = errnoOf(error);
      if (errno !== DUPLICATE_KEY && errno !== DEADLOCK_OR_CERTIFICATION_FAILURE) throw error;
    }
    if (Date.now() > giveUpAt) throw new Error(`another replica held the migration lock for more than ${waitMs / 1000} s`);
    await connection.query(
      `DELETE FROM schema_migration_lock WHERE id = 1 AND taken_at < NOW(3) - INTERVAL ${ABANDONED_AFTER_SECONDS} SECOND`,
    );
    await sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await connection.query("DELETE FROM schema_migration_lock WHERE id = 1 AND holder = ?", [holder]);
  }
}
