import type { SqlSession } from "../../../shared/database/SqlSession.js";
import type { DayWindow } from "../domain/calendar.js";

export interface EatenCalories {
  consumedCalories: number;
  mealCount: number;
}

/** What the customer ate within the window (meals_customer_eaten range). */
export async function readEatenCalories(session: SqlSession, customerId: string, window: DayWindow): Promise<EatenCalories> {
  const [row] = await session.query(
    "SELECT COALESCE(SUM(calories), 0) AS consumed, COUNT(*) AS meals FROM meals WHERE customer_id = ? AND eaten_time >= ? AND eaten_time < ?",
    [customerId, window.start, window.end],
  );
  return { consumedCalories: Number(row.consumed), mealCount: Number(row.meals) };
}
