import { setTimeout as sleep } from "node:timers/promises";
import { DomainError } from "../errors/DomainError.js";
import type { CallScope } from "../call/CallScope.js";
import type { Database } from "./Database.js";
import { retryableLockErrno } from "./databaseErrors.js";
import { NodeFailedError } from "./NodeRouter.js";

export type SqlDialect = "mysql" | "mariadb";

declare const transactionBrand: unique symbol;

/**
 * One statement: its text, a constant of the code (never built from input, and
 * never more than one statement: Database refuses a ';'), and its values, which
 * only ever reach the server through the text's placeholders. `Result` names
 * what it returns: Stored* rows for a SELECT, ResultSetHeader for a write.
 */
export interface Statement<Result = unknown> {
  readonly sql: string;
  readonly values: readonly unknown[];
  /** Never set: carries Result for the type checker. */
  readonly result?: Result;
}

export const statement = <Result>(sql: string, values: readonly unknown[] = []): Statement<Result> => ({ sql, values });

/** What each of a list of statements returns, in order. */
export type ResultsOf<Statements extends readonly Statement[]> = {
  -readonly [Index in keyof Statements]: Statements[Index] extends Statement<infer Result> ? Result : never;
};

/**
 * The one connection of a running REPEATABLE READ transaction. Locking reads
 * and multi-statement work take a Transaction, never the pool: the brand keeps
 * a Database (whose statements run in autocommit, each on any connection) from
 * being passed where a transaction is needed. Results are mysql2's: rows for a
 * SELECT, a ResultSetHeader for a write.
 *
 * A round trip to the server costs both processes more CPU than most of the
 * statements in it (docs/performance.md), so statements that do not depend on
 * each other's results in the client go together: `send` sends several in one
 * packet, START TRANSACTION travels with the first statement sent, and
 * `sendAndCommit` carries COMMIT with the last. The server runs them in order
 * and stops at the first that fails; the transaction then rolls back. On a
 * Galera node each is sent alone instead, in the same order (see Database:
 * there a batch does not stop when another node's write aborts the
 * transaction), so the code reads the same and only the round trips differ.
 */
export interface Transaction {
  readonly [transactionBrand]: true;
  readonly dialect: SqlDialect;
  /** The node it runs on is a Galera node: its row locks do not stop writes through other nodes. */
  readonly galera: boolean;
  /** Result names what the statement returns: Stored* rows for a SELECT, ResultSetHeader for a write. */
  query<Result>(statement: string, values?: readonly unknown[]): Promise<Result>;
  /** The statements in one round trip; their results in order. */
  send<const Statements extends readonly Statement[]>(...statements: Statements): Promise<ResultsOf<Statements>>;
  /**
   * The statements, then COMMIT, in one round trip: the last thing the work
   * sends. Once it resolves the transaction has committed; the work must send
   * nothing after it.
   */
  sendAndCommit<const Statements extends readonly Statement[]>(...statements: Statements): Promise<ResultsOf<Statements>>;
}

/**
 * The shared-lock suffix of a SELECT in the server's dialect: MariaDB knows
 * only LOCK IN SHARE MODE; MySQL 8 names it FOR SHARE (the old form is deprecated).
 */
export function shareLockClause(dialect: SqlDialect): string {
  return dialect === "mariadb" ? "LOCK IN SHARE MODE" : "FOR SHARE";
}

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
