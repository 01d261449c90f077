import type { Pool, PoolConnection, QueryError } from "mysql2";
import type { DataSource } from "typeorm";
import { abortReason } from "../call/abortReason.js";
import type { SqlDialect, Transaction } from "./Transaction.js";

interface StatementTarget {
  query(statement: string, values: unknown, callback: (error: QueryError | null, result: unknown) => void): unknown;
}

function runStatement<Result>(target: StatementTarget, statement: string, values: readonly unknown[] = []): Promise<Result> {
  return new Promise((resolve, reject) =>
    target.query(statement, values, (error, result) => (error ? reject(error) : resolve(result as Result))),
  );
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
  private readonly pool: Pool;
  /** Told of every transaction attempt InnoDB rolled back and runTransaction runs again, with the error number. */
  onTransactionRetry: (errno: number) => void = () => {};

  constructor(
    private readonly dataSource: DataSource,
    readonly dialect: SqlDialect,
  ) {
    this.pool = (dataSource.driver as unknown as { pool: Pool }).pool;
  }

  /** One statement in autocommit, on whichever connection is free: a single consistent read, or a lone write. */
  query<Result>(statement: string, values?: readonly unknown[]): Promise<Result> {
    return runStatement(this.pool, statement, values);
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
   * connection). Any failure rolls back; a connection that cannot even roll
   * back is destroyed rather than returned to the pool.
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
    const transaction = {
      dialect: this.dialect,
      query: (statement: string, values?: readonly unknown[]) => {
        signal.throwIfAborted();
        return runStatement(connection, statement, values);
      },
    } as Transaction;
    try {
      await runStatement(connection, "START TRANSACTION");
      const result = await work(transaction);
      signal.removeEventListener("abort", abandon);
      signal.throwIfAborted();
      await runStatement(connection, "COMMIT");
      connection.release();
      return result;
    } catch (error) {
      signal.removeEventListener("abort", abandon);
      if (signal.aborted) {
        connection.destroy();
        throw abortReason(signal);
      }
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
    return this.dataSource.destroy();
  }
}
