import { status } from "@grpc/grpc-js";
import { ServiceError } from "../grpc/ServiceError.js";
import type { Database } from "./Database.js";
import { isRetryableLockError } from "./databaseErrors.js";
import type { SqlSession } from "./SqlSession.js";

export interface TransactionOptions {
  /** Epoch milliseconds by which the caller needs an answer. */
  deadline: number;
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 4;
const MAX_BACKOFF_MS = 200;

/** Full jitter (AWS architecture blog): spreads retries of colliding transactions apart. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in a transaction (REPEATABLE READ, the session level openDatabase
 * sets on every connection) and runs it again, from a fresh
 * transaction, when InnoDB rolled it back for a deadlock, a lock wait timeout
 * or a snapshot conflict. `work` must read everything it depends on itself:
 * nothing from a failed attempt is reused.
 */
export async function runTransaction<T>(
  database: Database,
  work: (session: SqlSession) => Promise<T>,
  { deadline, maxAttempts = DEFAULT_MAX_ATTEMPTS }: TransactionOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.transaction(work);
    } catch (error) {
      if (!isRetryableLockError(error)) throw error;
      const delay = backoffDelay(attempt);
      if (attempt >= maxAttempts || Date.now() + delay >= deadline) {
        throw new ServiceError(
          status.ABORTED,
          `the transaction conflicted with concurrent ones ${attempt} time(s); retry the request`,
          { reason: "TRANSACTION_ABORTED", metadata: { attempts: String(attempt) } },
        );
      }
      await sleep(delay);
    }
  }
}
