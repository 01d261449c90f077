import type { Pool, PoolConnection, QueryError } from "mysql2";
import type { DataSource } from "typeorm";
import { abortReason } from "../call/abortReason.js";
import type { SqlDialect, Statement, Transaction } from "./Transaction.js";

interface StatementTarget {
  query(statement: string, values: unknown, callback: (error: QueryError | null, result: unknown) => void): unknown;
}

/**
 * The pool allows several statements in one text (openDatabase), for the
 * transactions' batches. So that this can never let input stack a statement
 * of its own, every text is checked to be one statement before it is joined
 * or sent: values never enter a text but through mysql2's escaping of a
 * placeholder, and a text of the code's own is a single statement.
 */
function checkSingleStatement(text: string): string {
  if (text.includes(";")) throw new Error(`a statement text must hold one statement: ${text.slice(0, 80)}`);
  return text;
}

function runStatement<Result>(target: StatementTarget, statement: string, values: readonly unknown[] = []): Promise<Result> {
  return new Promise((resolve, reject) =>
    target.query(statement, values, (error, result) => (error ? reject(error) : resolve(result as Result))),
  );
}

/** One statement of the code's: refused (a rejection, nothing sent) if the text holds more. */
function runSingleStatement<Result>(target: StatementTarget, statement: string, values?: readonly unknown[]): Promise<Result> {
  try {
    return runStatement(target, checkSingleStatement(statement), values);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

const START_TRANSACTION: Statement = { sql: "START TRANSACTION", values: [] };
const COMMIT: Statement = { sql: "COMMIT", values: [] };

/** Statements as one text (one round trip); the results of those at [from, from + count). */
async function runBatch(target: StatementTarget, statements: Statement[], from: number, count: number): Promise<unknown[]> {
  if (statements.length === 1) return [await runSingleStatement(target, statements[0].sql, statements[0].values)];
  const text = statements.map((part) => checkSingleStatement(part.sql)).join(";\n");
  const results = await runStatement<unknown[]>(
    target,
    text,
    statements.flatMap((part) => part.values),
  );
  return results.slice(from, from + count);
}

/** A pooled connection, or the signal's reason if the call ends first (the connection then goes back unused). */
function checkOut(pool: Pool, signal: AbortSignal): Promise<PoolConnection> {
  return new Promise((resolve, reject) => {
    const stopWaiting = () => reject(abortReason(signal));
    signal.addEventListener("abort", stopWaiting, { once: true });
    pool.getConnection((error, connection) => {
      signal.removeEventListener("abort", stopWaiting);
      if (error) reject(error);
      else if (signal.aborted) connection.release();
      else resolve(connection);
    });
  });
}

/** How the pool is used right now, for the metrics. */
export interface PoolUsage {
  inUse: number;
  waiting: number;
}

/** mysql2 keeps these on the pool without a public accessor. */
interface PoolInternals {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

/**
 * A service's database. TypeORM configures the mysql2 pool and runs the
 * migrations; statements go to that pool directly, through mysql2's callback
 * API. TypeORM's query runner wraps every statement in a promise-API call that
 * captures a stack trace, query events and a result copy: per statement it
 * cost more CPU than the round trip itself (docs/performance.md).
 */
export class Database {
  private sentRoundTrips = 0;
  /** Told of every transaction attempt InnoDB rolled back and runTransaction runs again, with the error number. */
  onTransactionRetry: (errno: number) => void = () => {};

  /** `pool` must allow multiple statements per text (Transaction.send); `closePool` ends it. */
  constructor(
    private readonly pool: Pool,
    readonly dialect: SqlDialect,
    private readonly closePool: () => Promise<void>,
  ) {}

  /** TypeORM's pool (openDatabase configured it), closed with the DataSource. */
  static overDataSource(dataSource: DataSource, dialect: SqlDialect): Database {
    return new Database((dataSource.driver as unknown as { pool: Pool }).pool, dialect, () => dataSource.destroy());
  }

  /** One statement in autocommit, on whichever connection is free: a single consistent read, or a lone write. */
  query<Result>(statement: string, values?: readonly unknown[]): Promise<Result> {
    this.sentRoundTrips++;
    return runSingleStatement(this.pool, statement, values);
  }

  /** Round trips to the server so far (statements or batches sent), for the benchmark's count per call. */
  get roundTrips(): number {
    return this.sentRoundTrips;
  }

  /**
   * Runs `statements` on every connection the pool opens from now on, and on
   * the one it holds already: TypeORM's initialize() opened it before any
   * listener could exist, and as the only idle connection it takes these.
   */
  async setSessionDefaults(statements: string[]): Promise<void> {
    this.pool.on("connection", (connection) => statements.forEach((statement) => connection.query(statement)));
    for (const statement of statements) await this.query(statement);
  }

  /**
   * Runs `work` on one connection between START TRANSACTION and COMMIT, at the
   * session's isolation level (openDatabase sets REPEATABLE READ on every
   * connection). START TRANSACTION goes with the work's first statements and
   * COMMIT with its last when it sends them with sendAndCommit (otherwise on its
   * own once the work is done); a work that sends nothing sends neither. Any
   * failure rolls back; a connection that cannot even roll back is destroyed
   * rather than returned to the pool.
   *
   * When `signal` fires before COMMIT is sent, the connection is destroyed at
   * once, even in the middle of a statement or a lock wait: the server rolls
   * back a transaction whose connection is gone, and the work gets the
   * signal's reason. COMMIT itself is never interrupted, so an ended call never
   * leaves the caller unsure whether it happened.
   */
  async transaction<T>(work: (transaction: Transaction) => Promise<T>, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    const connection = await checkOut(this.pool, signal);
    const abandon = () => connection.destroy();
    signal.addEventListener("abort", abandon, { once: true });
    let started = false;
    let committed = false;
    const send = async (statements: readonly Statement[], commit: boolean): Promise<unknown[]> => {
      if (committed) throw new Error("the transaction has committed; nothing more can be sent in it");
      signal.throwIfAborted();
      const batch = [...(started ? [] : [START_TRANSACTION]), ...statements, ...(commit ? [COMMIT] : [])];
      const from = started ? 0 : 1;
      started = true;
      // From here the batch may commit: it is never cut off (see above).
      if (commit) signal.removeEventListener("abort", abandon);
      this.sentRoundTrips++;
      const results = await runBatch(connection, batch, from, statements.length);
      committed = commit;
      return results;
    };
    const transaction = {
      dialect: this.dialect,
      query: async (text: string, values: readonly unknown[] = []) => (await send([{ sql: text, values }], false))[0],
      send: (...statements: Statement[]) => send(statements, false),
      sendAndCommit: (...statements: Statement[]) => send(statements, true),
    } as unknown as Transaction;
    try {
      const result = await work(transaction);
      signal.removeEventListener("abort", abandon);
      if (started && !committed) {
        signal.throwIfAborted();
        this.sentRoundTrips++;
        await runStatement(connection, COMMIT.sql);
      }
      connection.release();
      return result;
    } catch (error) {
      signal.removeEventListener("abort", abandon);
      if (signal.aborted && !committed) {
        connection.destroy();
        throw abortReason(signal);
      }
      if (!started) {
        connection.release();
        throw error;
      }
      this.sentRoundTrips++;
      await runStatement(connection, "ROLLBACK").then(
        () => connection.release(),
        () => connection.destroy(),
      );
      throw error;
    }
  }

  poolUsage(): PoolUsage {
    const internals = this.pool as unknown as PoolInternals;
    return {
      inUse: internals._allConnections.length - internals._freeConnections.length,
      waiting: internals._connectionQueue.length,
    };
  }

  close(): Promise<void> {
    return this.closePool();
  }
}
