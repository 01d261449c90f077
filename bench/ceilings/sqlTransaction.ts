import type { Connection } from "mysql2/promise";
import { retryableLockErrno } from "../../shared/database/databaseErrors.js";
import { backoffDelay } from "../../shared/database/Transaction.js";

const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The statements Database.transaction wraps around the services' transaction
 * work (START TRANSACTION, then COMMIT or ROLLBACK; the isolation level is the session's),
 * retried on the same InnoDB errors with the same backoff as runTransaction.
 * `work` resolves false to roll back instead of committing, as a service does
 * when it refuses a stale etag.
 */
export async function sqlTransaction(connection: Connection, work: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    await connection.query("START TRANSACTION");
    try {
      const commit = await work();
      await connection.query(commit ? "COMMIT" : "ROLLBACK");
      return commit;
    } catch (error) {
      await connection.query("ROLLBACK");
      if (retryableLockErrno(error) === undefined || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(backoffDelay(attempt));
    }
  }
}
