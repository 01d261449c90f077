import type { ResultSetHeader } from "mysql2";
import { shareLockClause, statement, type SqlDialect, type Statement } from "../../../shared/database/Transaction.js";
import type { DayWindow } from "../domain/calendar.js";
import type { CandidateMeal } from "../domain/Candidate.js";
import { CANDIDATE_COLUMNS, MEAL_COLUMNS, VERSIONED_CANDIDATE_COLUMNS, type StoredMeal } from "./mealRows.js";

/**
 * The statements of the meals service's writes, summaries and recommendations,
 * in one place: the repository runs them, and the benchmark's raw-SQL ceiling runs
 * the very same ones (bench/ceilings/rawSqlMeals.ts), so the two cannot drift.
 */

/**
 * Takes the customer's meal log exclusively, creating it on the first meal.
 * Every write to a customer's meals starts here, so it waits for readers that
 * share the log and they wait for it. On an existing primary key this is a
 * record lock only: no gap, no other customer involved.
 */
export const lockMealLogForWrite = (customerId: string): Statement<ResultSetHeader> =>
  statement(
    "INSERT INTO meal_logs (customer_id, log_version) VALUES (?, 1) ON DUPLICATE KEY UPDATE log_version = log_version + 1",
    [customerId],
  );

/** Shares the customer's meal log: until commit nobody can log, change or delete a meal of this customer. */
export const shareMealLog = (dialect: SqlDialect, customerId: string): Statement<{ customer_id: string }[]> =>
  statement(`SELECT customer_id FROM meal_logs WHERE customer_id = ? ${shareLockClause(dialect)}`, [customerId]);

/** A log row for a customer who never logged a meal, whose record lock then serves as the share lock. */
export const createMealLog = (customerId: string): Statement<ResultSetHeader> =>
  statement("INSERT IGNORE INTO meal_logs (customer_id, log_version) VALUES (?, 0)", [customerId]);

export const selectMeal = (customerId: string, mealId: string): Statement<StoredMeal[]> =>
  statement(`SELECT ${MEAL_COLUMNS} FROM meals WHERE meal_id = ? AND customer_id = ?`, [mealId, customerId]);

export const selectMealByRequest = (customerId: string, requestId: string): Statement<StoredMeal[]> =>
  statement(`SELECT ${MEAL_COLUMNS} FROM meals WHERE customer_id = ? AND request_id = ?`, [customerId, requestId]);

export interface NewMeal extends Omit<CandidateMeal, "mealId" | "version"> {
  createTime: Date;
  requestId: string | null;
}

export const insertMeal = (meal: NewMeal): Statement<ResultSetHeader> =>
  statement(
    `INSERT INTO meals (customer_id, name, calories, rating, cuisine, eaten_time, version, create_time, update_time, request_id)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    [
      meal.customerId,
      meal.name,
      meal.calories,
      meal.rating,
      meal.cuisine,
      meal.eatenTime,
      meal.createTime,
      meal.createTime,
      meal.requestId,
    ],
  );

export interface MealChange {
  name?: string;
  calories?: number;
  rating?: number;
  cuisine?: string;
  eatenTime?: Date;
}

/**
 * Changes the customer's meal and moves it to the next version, only at
 * `expectedVersion` when one is given: one row changed, or none (no such meal
 * of this customer, or another version). The UPDATE locks the row and works on
 * its latest version. A field left undefined keeps its value.
 */
export const changeMeal = (
  customerId: string,
  mealId: string,
  change: MealChange,
  updateTime: Date,
  expectedVersion: string | undefined,
): Statement<ResultSetHeader> =>
  statement(
    `UPDATE meals SET name = COALESCE(?, name), calories = COALESCE(?, calories), rating = COALESCE(?, rating),
        cuisine = COALESCE(?, cuisine), eaten_time = COALESCE(?, eaten_time), update_time = ?, version = version + 1
      WHERE meal_id = ? AND customer_id = ? AND version = COALESCE(?, version)`,
    [
      change.name ?? null,
      change.calories ?? null,
      change.rating ?? null,
      change.cuisine ?? null,
      change.eatenTime ?? null,
      updateTime,
      mealId,
      customerId,
      expectedVersion ?? null,
    ],
  );

/** Deletes the customer's meal, only at `expectedVersion` when one is given: one row, or none. */
export const deleteMeal = (customerId: string, mealId: string, expectedVersion: string | undefined): Statement<ResultSetHeader> =>
  statement("DELETE FROM meals WHERE meal_id = ? AND customer_id = ? AND version = COALESCE(?, version)", [
    mealId,
    customerId,
    expectedVersion ?? null,
  ]);

export const sumEaten = (customerId: string, window: DayWindow): Statement<{ consumed: string | number; meals: number }[]> =>
  statement(
    "SELECT COALESCE(SUM(calories), 0) AS consumed, COUNT(*) AS meals FROM meals WHERE customer_id = ? AND eaten_time >= ? AND eaten_time < ?",
    [customerId, window.start, window.end],
  );

/** Own meals are few; this bounds the read for a customer with an unusually long history. */
export const OWN_CANDIDATE_LIMIT = 500;

/**
 * The sort must carry the columns it returns: with only the row ids, MariaDB
 * reads every sorted row back from the table, one page each for a customer's
 * meals scattered over a large table (19 page reads per call at ten million
 * meals, where the index alone needs one). Its default (max_length_for_sort_data
 * 1024) is below the longest row these columns can make; MySQL 8 always sorts
 * the columns along.
 */
const sortWithColumns = (dialect: SqlDialect) =>
  dialect === "mariadb" ? "SET STATEMENT max_length_for_sort_data = 4096 FOR " : "";

/** The customer's own meals eaten before an instant that fit, best first: from meals_customer_history alone. */
export const ownCandidates = (
  dialect: SqlDialect,
  customerId: string,
  eatenBefore: Date,
  maxCalories: number,
): Statement<StoredMeal[]> =>
  statement(
    `${sortWithColumns(dialect)}SELECT ${CANDIDATE_COLUMNS} FROM meals
      WHERE customer_id = ? AND eaten_time < ? AND calories <= ?
      ORDER BY rating DESC, calories DESC, meal_id DESC LIMIT ?`,
    [customerId, eatenBefore, maxCalories, OWN_CANDIDATE_LIMIT],
  );

/** A position in the ranking scan of one rating: strictly after this meal. */
export interface ScanPosition {
  calories: number;
  mealId: string;
}

/**
 * Other customers' meals of one rating that fit, largest first, after a
 * position: a backward range scan of meals_rating_calories that stops after
 * one batch, however large the catalog. The index is forced because, left
 * alone, MariaDB picks a ref lookup on rating alone, which starts at the
 * rating's largest meal and reads back through every meal too large to fit
 * (82,000 rows instead of 6 at a million meals).
 */
export const othersAtRating = (
  customerId: string,
  rating: number,
  maxCalories: number,
  after: ScanPosition | undefined,
  limit: number,
): Statement<StoredMeal[]> =>
  statement(
    `SELECT ${VERSIONED_CANDIDATE_COLUMNS} FROM meals FORCE INDEX (meals_rating_calories)
      WHERE rating = ? AND calories <= ? AND customer_id <> ? ${after ? "AND (calories < ? OR (calories = ? AND meal_id < ?))" : ""}
      ORDER BY calories DESC, meal_id DESC LIMIT ?`,
    [rating, maxCalories, customerId, ...(after ? [after.calories, after.calories, after.mealId] : []), limit],
  );

/**
 * The meals, share-locked: as the latest commit left them, and no one can
 * change them until this transaction ends. By primary key, forced: on a small
 * table MariaDB preferred scanning meals_customer_history, which holds every
 * column asked for, and share-locked each entry it passed, other customers'
 * meals included (test/meals/concurrency.test.ts, "lock footprint").
 */
export const shareMeals = (dialect: SqlDialect, mealIds: readonly string[]): Statement<StoredMeal[]> =>
  statement(
    `SELECT ${VERSIONED_CANDIDATE_COLUMNS} FROM meals FORCE INDEX (PRIMARY) WHERE meal_id IN (?) ${shareLockClause(dialect)}`,
    [mealIds],
  );
