import type { EntityManager } from "typeorm";
import type { DayWindow } from "../domain/calendar.js";
import { MealEntity } from "./mealEntities.js";

export interface EatenCalories {
  consumedCalories: number;
  mealCount: number;
}

/** What the customer ate within the window (meals_customer_eaten range). */
export async function readEatenCalories(manager: EntityManager, customerId: string, window: DayWindow): Promise<EatenCalories> {
  const row = await manager
    .createQueryBuilder(MealEntity, "meal")
    .select("COALESCE(SUM(meal.calories), 0)", "consumed")
    .addSelect("COUNT(*)", "meals")
    .where("meal.customerId = :customerId", { customerId })
    .andWhere("meal.eatenTime >= :start AND meal.eatenTime < :end", window)
    .getRawOne<{ consumed: string; meals: string }>();
  return { consumedCalories: Number(row?.consumed ?? 0), mealCount: Number(row?.meals ?? 0) };
}
