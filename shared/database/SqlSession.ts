export type SqlDialect = "mysql" | "mariadb";

/**
 * Where a repository sends its statements: the pool, for single statements
 * that need no transaction, or the one connection of a running transaction.
 * Results are mysql2's: rows for a SELECT, a ResultSetHeader for a write.
 */
export interface SqlSession {
  readonly dialect: SqlDialect;
  // Rows are typed by the row mappers that read them (goalRows, mealRows).
  query<Result = any>(statement: string, values?: readonly unknown[]): Promise<Result>;
}
