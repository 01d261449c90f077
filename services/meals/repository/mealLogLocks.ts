import type { Transaction } from "../../../shared/database/Transaction.js";
import { shareLockClause } from "../../../shared/database/shareLockClause.js";

/**
 * Takes the customer's meal log exclusively, creating it on the first meal.
 * Every write to a customer's meals starts here, so it waits for readers that
 * share the log and they wait for it. On an existing primary key this is a
 * record lock only: no gap, no other customer involved.
 */
export async function lockMealLogForWrite(transaction: Transaction, customerId: string): Promise<void> {
  await transaction.query(
    "INSERT INTO meal_logs (customer_id, log_version) VALUES (?, 1) ON DUPLICATE KEY UPDATE log_version = log_version + 1",
    [customerId],
  );
}

/**
 * Shares the customer's meal log: until commit nobody can log, change or
 * delete a meal of this customer. Must come before the transaction's first
 * plain read, so that its snapshot already includes every write that
 * committed before the lock was granted.
 */
export async function shareMealLog(transaction: Transaction, customerId: string): Promise<void> {
  const [log] = await transaction.query<{ customer_id: string }[]>(
    `SELECT customer_id FROM meal_logs WHERE customer_id = ? ${shareLockClause(transaction)}`,
    [customerId],
  );
  // A customer who never logged a meal has no row to lock; creating one takes
  // its record lock (exclusive, which also serves) instead of leaving a gap lock.
  if (!log) await transaction.query("INSERT IGNORE INTO meal_logs (customer_id, log_version) VALUES (?, 0)", [customerId]);
}
