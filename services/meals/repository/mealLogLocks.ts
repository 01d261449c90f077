import type { Transaction } from "../../../shared/database/Transaction.js";
import { StaleReadError, type GoalBoundAnswer } from "../protocol/GoalVersionProtocol.js";
import type { DayWindow } from "../domain/calendar.js";
import { createMealLog, shareMealLog, sumEaten } from "./mealStatements.js";

export interface EatenCalories {
  consumedCalories: number;
  mealCount: number;
  /** The customer's log row's version when it was locked: every meal write moves it. */
  logVersion: string;
}

/**
 * Shares the customer's meal log, then reads what the customer ate within the
 * window (a meals_customer_history range, read from the index alone), in one round trip. Until commit nobody
 * can log, change or delete a meal of this customer, and because the lock
 * comes before the transaction's first plain read, its snapshot already
 * includes every write that committed before the lock was granted: the sum is
 * the current one for the whole transaction.
 */
export async function shareLogAndReadEaten(
  transaction: Transaction,
  customerId: string,
  window: DayWindow,
): Promise<EatenCalories> {
  const [[log], [eaten]] = await transaction.send(shareMealLog(transaction.dialect, customerId), sumEaten(customerId, window));
  // A customer who never logged a meal has no row to lock (the read left a gap
  // lock, so no first meal got in); creating one takes its record lock
  // (exclusive, which also serves).
  if (!log) await transaction.send(createMealLog(customerId));
  return { consumedCalories: Number(eaten.consumed), mealCount: Number(eaten.meals), logVersion: log?.log_version ?? "0" };
}

/**
 * The customer's log row, read again share-locked (shareMealLog) after the
 * goal was asked for, must be at the version shareLogAndReadEaten saw: no meal
 * of the customer was logged, changed or deleted since. On one server the
 * shared lock already makes it so. On Galera it does not stop a write through
 * another node; but that read first waits (wsrep_sync_wait) until its node has
 * applied every write the cluster ordered before it, so such a write shows
 * there, or aborted the transaction when it was applied. The answer therefore
 * counted the customer's meals as they were when goals answered.
 * StaleReadError if the log moved.
 */
export function checkLogUnchanged(rereadLog: { log_version: string }[], held: EatenCalories): void {
  const now = rereadLog[0]?.log_version;
  if (now !== held.logVersion) throw new StaleReadError(`the meal log moved from version ${held.logVersion} to ${now}`);
}

/**
 * What the customer ate within the window, as the version protocol runs it
 * (GoalVersionProtocol): held under the shared meal log before the goal is
 * asked for, confirmed unchanged after, with COMMIT in the same round trip.
 */
export function eatenWithin(customerId: string, window: DayWindow): GoalBoundAnswer<EatenCalories, EatenCalories> {
  return {
    hold: (transaction) => shareLogAndReadEaten(transaction, customerId, window),
    async compute(transaction, _goal, held) {
      const [log] = await transaction.sendAndCommit(shareMealLog(transaction.dialect, customerId));
      checkLogUnchanged(log, held);
      return held;
    },
  };
}
