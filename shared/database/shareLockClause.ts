import type { Transaction } from "./Transaction.js";

/**
 * The shared-lock suffix of a SELECT in the server's dialect: MariaDB knows
 * only LOCK IN SHARE MODE; MySQL 8 names it FOR SHARE (the old form is deprecated).
 */
export function shareLockClause(transaction: Transaction): string {
  return transaction.dialect === "mariadb" ? "LOCK IN SHARE MODE" : "FOR SHARE";
}
