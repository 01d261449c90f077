import type { CandidateMeal } from "../domain/Candidate.js";

/** mealId: BIGINT AUTO_INCREMENT, a string as mysql2 hands it over. */
export interface MealRow extends CandidateMeal {
  version: string;
  createTime: Date;
  updateTime: Date;
  requestId: string | null;
}

export const MEAL_COLUMNS =
  "meal_id, customer_id, name, calories, rating, cuisine, eaten_time, version, create_time, update_time, request_id";

export const CANDIDATE_COLUMNS = "meal_id, customer_id, name, calories, rating, cuisine, eaten_time";
/** For reads that must return the version (other customers' meals, checked by it when locked); meals_customer_history does not hold it. */
export const VERSIONED_CANDIDATE_COLUMNS = `${CANDIDATE_COLUMNS}, version`;

/** A `meals` row (or the candidate columns of one) as mysql2 returns it. */
export interface StoredMeal {
  meal_id: string;
  customer_id: string;
  name: string;
  calories: number;
  rating: number;
  cuisine: string;
  eaten_time: Date;
  version: string;
  create_time: Date;
  update_time: Date;
  request_id: string | null;
}

export const toCandidateMeal = (
  stored: Pick<StoredMeal, "meal_id" | "customer_id" | "name" | "calories" | "rating" | "cuisine" | "eaten_time"> &
    Partial<Pick<StoredMeal, "version">>,
): CandidateMeal => ({
  mealId: stored.meal_id,
  customerId: stored.customer_id,
  name: stored.name,
  calories: stored.calories,
  rating: stored.rating,
  cuisine: stored.cuisine,
  eatenTime: stored.eaten_time,
  ...(stored.version === undefined ? {} : { version: stored.version }),
});

export const toMealRow = (stored: StoredMeal): MealRow => ({
  ...toCandidateMeal(stored),
  version: stored.version,
  createTime: stored.create_time,
  updateTime: stored.update_time,
  requestId: stored.request_id,
});
