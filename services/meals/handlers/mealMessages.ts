import { etagOf } from "../../../shared/api/etag.js";
import type { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { MealRow } from "../repository/mealRows.js";

export function toMealMessage(row: MealRow): Meal {
  return {
    mealId: row.mealId,
    customerId: row.customerId,
    name: row.name,
    calories: row.calories,
    rating: row.rating,
    cuisine: row.cuisine,
    eatenTime: row.eatenTime,
    version: row.version,
    etag: etagOf(row.version),
    createTime: row.createTime,
    updateTime: row.updateTime,
  };
}
