import { setTimeout as sleep } from "node:timers/promises";
import { DomainError } from "../errors/DomainError.js";
import type { CallScope } from "../call/CallScope.js";
import type { Database } from "./Database.js";
import { retryableLockErrno } from "./databaseErrors.js";
import { NodeFailedError } from "./NodeFailedError.js";
import type { Transaction } from "./Transaction.js";

const DEFAULT_MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 4;
const MAX_BACKOFF_MS = 200;

/** Full jitter (AWS architecture blog): spreads retries of colliding transactions apart. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt));
}

function contentionOutlastedRetries(attempts: number): DomainError {
  return new DomainError("ABORTED", `the transaction conflicted with concurrent ones ${attempts} time(s); retry the request`, {
    reason: "TRANSACTION_ABORTED",
    metadata: { attempts: String(attempts) },
  });
}

/**
 * Runs `work` in a transaction (REPEATABLE READ, the session level openDatabase
 * sets on every connection) and runs it again, from a fresh transaction, when
 * InnoDB rolled it back for a deadlock, a lock wait timeout or a snapshot
 * conflict (on Galera also a certification failure or a brute-force abort,
 * which report a deadlock), or when its database node failed before COMMIT was
 * sent (the next attempt runs on the next node). `work` must read everything it
 * depends on itself: nothing from a failed attempt is reused. No retry starts
 * that could not finish by the call's deadline; when the call ends, the running
 * attempt rolls back and no other starts.
 */
export async function runTransaction<T>(
  database: Database,
  work: (transaction: Transaction) => Promise<T>,
  { deadline, signal }: CallScope,
  maxAttempts = DEFAULT_MAX_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.transaction(work, signal);
    } catch (error) {
      const nodeFailed = error instanceof NodeFailedError && error.outcome === "not committed";
      const errno = retryableLockErrno(error);
      if (errno === undefined && !nodeFailed) throw error;
      const delay = backoffDelay(attempt);
      if (attempt >= maxAttempts || Date.now() + delay >= deadline)
        throw nodeFailed ? error : contentionOutlastedRetries(attempt);
      if (errno !== undefined) database.onTransactionRetry(errno);
      await sleep(delay, undefined, { signal }).catch(() => signal.throwIfAborted());
    }
  }
}
