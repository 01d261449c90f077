import type { Pool, PoolConnection, QueryError } from "mysql2";
import type { DataSource } from "typeorm";
import type { SqlDialect, SqlSession } from "./SqlSession.js";

interface StatementTarget {
  query(statement: string, values: unknown, callback: (error: QueryError | null, result: unknown) => void): unknown;
}

function runStatement<Result>(target: StatementTarget, statement: string, values: readonly unknown[] = []): Promise<Result> {
  return new Promise((resolve, reject) =>
    target.query(statement, values, (error, result) => (error ? reject(error) : resolve(result as Result))),
  );
}

function checkOut(pool: Pool): Promise<PoolConnection> {
  return new Promise((resolve, reject) =>
    pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))),
  );
}

/**
 * A service's database. TypeORM configures the mysql2 pool and runs the
 * migrations; statements go to that pool directly, through mysql2's callback
 * API. TypeORM's query runner wraps every statement in a promise-API call that
 * captures a stack trace, query events and a result copy: per statement it
 * cost more CPU than the round trip itself (docs/performance.md).
 */
export class Database implements SqlSession {
  private readonly pool: Pool;

  constructor(
    private readonly dataSource: DataSource,
    readonly dialect: SqlDialect,
  ) {
    this.pool = (dataSource.driver as unknown as { pool: Pool }).pool;
  }

  query<Result = any>(statement: string, values?: readonly unknown[]): Promise<Result> {
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
   */
  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const connection = await checkOut(this.pool);
    const session: SqlSession = {
      dialect: this.dialect,
      query: (statement, values) => runStatement(connection, statement, values),
    };
    try {
      await session.query("START TRANSACTION");
      const result = await work(session);
      await session.query("COMMIT");
      connection.release();
      return result;
    } catch (error) {
      await session.query("ROLLBACK").then(
        () => connection.release(),
        () => connection.destroy(),
      );
      throw error;
    }
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }
}
