export type SqlDialect = "mysql" | "mariadb";

declare const transactionBrand: unique symbol;

/**
 * The one connection of a running REPEATABLE READ transaction. Locking reads
 * and multi-statement work take a Transaction, never the pool: the brand keeps
 * a Database (whose statements run in autocommit, each on any connection) from
 * being passed where a transaction is needed. Results are mysql2's: rows for a
 * SELECT, a ResultSetHeader for a write.
 */
export interface Transaction {
  readonly [transactionBrand]: true;
  readonly dialect: SqlDialect;
  /** Result names what the statement returns: Stored* rows for a SELECT, ResultSetHeader for a write. */
  query<Result>(statement: string, values?: readonly unknown[]): Promise<Result>;
}
