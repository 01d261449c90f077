import type { Transaction } from "../../../shared/database/Transaction.js";
import type { GoalBoundAnswer } from "../protocol/GoalVersionProtocol.js";
import type { DayWindow } from "../domain/calendar.js";
import { createMealLog, shareMealLog, sumEaten } from "./mealStatements.js";

export interface EatenCalories {
  consumedCalories: number;
  mealCount: number;
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
  return { consumedCalories: Number(eaten.consumed), mealCount: Number(eaten.meals) };
}

/**
 * What the customer ate within the window, as the version protocol runs it
 * (GoalVersionProtocol): held under the shared meal log before the goal is
 * asked for; nothing more to read under it.
 */
export function eatenWithin(customerId: string, window: DayWindow): GoalBoundAnswer<EatenCalories, EatenCalories> {
  return {
    hold: (transaction) => shareLogAndReadEaten(transaction, customerId, window),
    compute: async (_transaction, _goal, held) => held,
  };
}
