import type { Transaction } from "../../../shared/database/Transaction.js";
import type { DayWindow } from "../domain/calendar.js";

export interface EatenCalories {
  consumedCalories: number;
  mealCount: number;
}

/** What the customer ate within the window (meals_customer_eaten range). */
export async function readEatenCalories(transaction: Transaction, customerId: string, window: DayWindow): Promise<EatenCalories> {
  const [row] = await transaction.query<{ consumed: string | number; meals: number }[]>(
    "SELECT COALESCE(SUM(calories), 0) AS consumed, COUNT(*) AS meals FROM meals WHERE customer_id = ? AND eaten_time >= ? AND eaten_time < ?",
    [customerId, window.start, window.end],
  );
  return { consumedCalories: Number(row.consumed), mealCount: Number(row.meals) };
}
