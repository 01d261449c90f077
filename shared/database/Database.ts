import type { Pool, PoolConnection, QueryError } from "mysql2";
import { abortReason } from "../call/CallScope.js";
import { DomainError } from "../errors/DomainError.js";
import { isNodeFailure } from "./databaseErrors.js";
import { NodeFailedError, poolInternals, type ActiveNode, type NodeRouter } from "./NodeRouter.js";
import type { SqlDialect, Statement, Transaction } from "./Transaction.js";

interface StatementTarget {
  query(statement: string, values: unknown, callback: (error: QueryError | null, result: unknown) => void): unknown;
}

/**
 * The pools allow several statements in one text (NodeRouter), for the
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
async function runSingleStatement<Result>(
  target: StatementTarget,
  statement: string,
  values?: readonly unknown[],
): Promise<Result> {
  return runStatement(target, checkSingleStatement(statement), values);
}

const START_TRANSACTION: Statement = { sql: "START TRANSACTION", values: [] };
const COMMIT: Statement = { sql: "COMMIT", values: [] };

/**
 * Statements as one text (one round trip), or one round trip each where a
 * batch is not safe (`together` false); the results of those at [from, from + count).
 */
async function runBatch(
  target: StatementTarget,
  statements: Statement[],
  from: number,
  count: number,
  together: boolean,
): Promise<unknown[]> {
  if (!together) {
    const results: unknown[] = [];
    for (const part of statements) results.push(await runSingleStatement(target, part.sql, part.values));
    return results.slice(from, from + count);
  }
  if (statements.length === 1) return [await runSingleStatement(target, statements[0].sql, statements[0].values)];
  const text = statements.map((part) => checkSingleStatement(part.sql)).join(";\n");
  const results = await runStatement<unknown[]>(
    target,
    text,
    statements.flatMap((part) => part.values),
  );
  return results.slice(from, from + count);
}

/**
 * A pooled connection, or the signal's reason if the call ends first (the
 * connection then goes back unused). Without a signal (a lone statement in
 * autocommit) it waits for the pool alone.
 */
function checkOut(pool: Pool, signal: AbortSignal | undefined): Promise<PoolConnection> {
  return new Promise((resolve, reject) => {
    const stopWaiting = () => reject(abortReason(signal!));
    signal?.addEventListener("abort", stopWaiting, { once: true });
    pool.getConnection((error, connection) => {
      signal?.removeEventListener("abort", stopWaiting);
      if (error) reject(error);
      else if (signal?.aborted) connection.release();
      else resolve(connection);
    });
  });
}

/** How the pool is used right now, for the metrics. */
export interface PoolUsage {
  inUse: number;
  waiting: number;
}

/** Statements of query() that only read, and so may run again on the next node when theirs fails. */
const READ_STATEMENT = /^\s*SELECT\b/i;

/**
 * A service's database: mysql2 pools over the nodes MYSQL_URL names, one node
 * in use at a time (NodeRouter); TypeORM only runs the migrations
 * (openDatabase). Statements go to mysql2's callback API directly: TypeORM's
 * query runner wraps every statement in a promise-API call that captures a
 * stack trace, query events and a result copy: per statement it cost more CPU
 * than the round trip itself (docs/performance.md).
 */
export class Database {
  private sentRoundTrips = 0;
  /** Told of every transaction attempt InnoDB rolled back and runTransaction runs again, with the error number. */
  onTransactionRetry: (errno: number) => void = () => {};

  constructor(
    private readonly router: NodeRouter,
    readonly dialect: SqlDialect,
  ) {}

  /**
   * One statement in autocommit, on whichever connection is free: a single
   * consistent read, or a lone write. A read whose node fails runs once more on
   * the next node; a lone write does not (it may have committed).
   */
  async query<Result>(statement: string, values?: readonly unknown[]): Promise<Result> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.queryOnce<Result>(statement, values);
      } catch (error) {
        if (!(error instanceof NodeFailedError) || error.outcome !== "not committed" || attempt > 1) throw error;
      }
    }
  }

  /** Round trips to the server so far (statements or batches sent), for the benchmark's count per call. */
  get roundTrips(): number {
    return this.sentRoundTrips;
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
   *
   * When the node fails under the transaction, it rejects with a
   * NodeFailedError that says whether COMMIT had been sent.
   */
  async transaction<T>(work: (transaction: Transaction) => Promise<T>, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    const { node, connection } = await this.connect(signal);
    const abandon = () => connection.destroy();
    signal.addEventListener("abort", abandon, { once: true });
    let started = false;
    let committing = false;
    let committed = false;
    const send = async (statements: readonly Statement[], commit: boolean): Promise<unknown[]> => {
      if (committing) throw new Error("the transaction has committed; nothing more can be sent in it");
      signal.throwIfAborted();
      const batch = [...(started ? [] : [START_TRANSACTION]), ...statements, ...(commit ? [COMMIT] : [])];
      const from = started ? 0 : 1;
      started = true;
      // From here the batch may commit: it is never cut off (see above).
      if (commit) {
        signal.removeEventListener("abort", abandon);
        committing = true;
      }
      // On a Galera node, a transaction that a conflicting write from another node aborts in the middle
      // of a batch does not stop the batch: the statements after the abort run on outside any
      // transaction, and a COMMIT among them acknowledges what was rolled back (test/cluster/
      // galeraBatches.test.ts shows acknowledged writes lost). There every statement is sent alone.
      const together = !node.galera;
      this.sentRoundTrips += together ? 1 : batch.length;
      const results = await runBatch(connection, batch, from, statements.length, together);
      committed = commit;
      return results;
    };
    const transaction = {
      dialect: this.dialect,
      galera: node.galera,
      query: async (text: string, values: readonly unknown[] = []) => (await send([{ sql: text, values }], false))[0],
      send: (...statements: Statement[]) => send(statements, false),
      sendAndCommit: (...statements: Statement[]) => send(statements, true),
    } as unknown as Transaction;
    try {
      const result = await work(transaction);
      signal.removeEventListener("abort", abandon);
      if (started && !committed) {
        signal.throwIfAborted();
        committing = true;
        this.sentRoundTrips++;
        await runStatement(connection, COMMIT.sql);
      }
      connection.release();
      return result;
    } catch (error) {
      signal.removeEventListener("abort", abandon);
      if (signal.aborted && !committing) {
        connection.destroy();
        // The work's own answer when it has one (e.g. goals did not answer in time), else why the call ended.
        throw error instanceof DomainError ? error : abortReason(signal);
      }
      if (isNodeFailure(error)) {
        connection.destroy();
        throw this.router.failed(node, error, committing ? "unknown" : "not committed");
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
    const pool = this.router.activeNode?.pool;
    if (!pool) return { inUse: 0, waiting: 0 };
    const internals = poolInternals(pool);
    return {
      inUse: internals._allConnections.length - internals._freeConnections.length,
      waiting: internals._connectionQueue.length,
    };
  }

  close(): Promise<void> {
    return this.router.close();
  }

  private async queryOnce<Result>(statement: string, values?: readonly unknown[]): Promise<Result> {
    const { node, connection } = await this.connect(undefined);
    try {
      this.sentRoundTrips++;
      const result = await runSingleStatement<Result>(connection, statement, values);
      connection.release();
      return result;
    } catch (error) {
      if (!isNodeFailure(error)) {
        connection.release();
        throw error;
      }
      connection.destroy();
      throw this.router.failed(node, error, READ_STATEMENT.test(statement) ? "not committed" : "unknown");
    }
  }

  /** A ready connection of the node in use; a node that fails to give one is dropped for the next. */
  private async connect(signal: AbortSignal | undefined): Promise<{ node: ActiveNode; connection: PoolConnection }> {
    const node = await this.router.active();
    let connection: PoolConnection | undefined;
    try {
      connection = await checkOut(node.pool, signal);
      await this.router.prepare(node, connection);
      return { node, connection };
    } catch (error) {
      if (error instanceof NodeFailedError) {
        connection?.destroy();
        throw error;
      }
      if (!isNodeFailure(error)) {
        connection?.release();
        throw error;
      }
      connection?.destroy();
      throw this.router.failed(node, error, "not committed");
    }
  }
}
