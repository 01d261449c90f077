import type { ResultSetHeader } from "mysql2";
import type { CallScope } from "../../../shared/call/CallScope.js";
import type { Database } from "../../../shared/database/Database.js";
import type { Transaction } from "../../../shared/database/Transaction.js";
import { runTransaction } from "../../../shared/database/runTransaction.js";
import type { DayWindow } from "../domain/calendar.js";
import { mealNotFound, staleMealEtag } from "../mealErrors.js";
import { lockMealLogForWrite } from "./mealLogLocks.js";
import { MEAL_COLUMNS, toMealRow, type MealRow, type StoredMeal } from "./mealRows.js";

export interface MealFields {
  name: string;
  calories: number;
  rating: number;
  cuisine: string;
  eatenTime: Date;
}

export interface MealPosition {
  eatenTime: Date;
  mealId: string;
}

export interface TimeRange {
  start?: Date;
  end?: Date;
}

const nextVersion = (version: string) => String(BigInt(version) + 1n);

/**
 * Meals and their changes. Every write first takes the customer's meal log
 * exclusively (see mealLogLocks), then the meal row, checks the caller's
 * expected version and writes under a version-conditional UPDATE. The SQL is
 * written out, as in GoalRepository, for the CPU it saves per call.
 */
export class MealRepository {
  constructor(private readonly database: Database) {}

  async findMeal(customerId: string, mealId: string): Promise<MealRow | null> {
    const [stored] = await this.database.query<StoredMeal[]>(
      `SELECT ${MEAL_COLUMNS} FROM meals WHERE meal_id = ? AND customer_id = ?`,
      [mealId, customerId],
    );
    return stored ? toMealRow(stored) : null;
  }

  createMeal(customerId: string, fields: MealFields, requestId: string | undefined, call: CallScope): Promise<MealRow> {
    return runTransaction(
      this.database,
      async (transaction) => {
        await lockMealLogForWrite(transaction, customerId);
        if (requestId !== undefined) {
          const [earlier] = await transaction.query<StoredMeal[]>(
            `SELECT ${MEAL_COLUMNS} FROM meals WHERE customer_id = ? AND request_id = ?`,
            [customerId, requestId],
          );
          if (earlier) return toMealRow(earlier);
        }
        const now = new Date();
        const meal = { customerId, ...fields, version: "1", createTime: now, updateTime: now, requestId: requestId ?? null };
        const { insertId } = await transaction.query<ResultSetHeader>(
          `INSERT INTO meals (customer_id, name, calories, rating, cuisine, eaten_time, version, create_time, update_time, request_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            customerId,
            meal.name,
            meal.calories,
            meal.rating,
            meal.cuisine,
            meal.eatenTime,
            meal.version,
            now,
            now,
            meal.requestId,
          ],
        );
        return { ...meal, mealId: String(insertId) };
      },
      call,
    );
  }

  updateMeal(
    customerId: string,
    mealId: string,
    changes: Partial<MealFields>,
    expectedVersion: string | undefined,
    call: CallScope,
  ): Promise<MealRow> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const current = await lockMeal(transaction, customerId, mealId, expectedVersion);
        const meal: MealRow = { ...current, ...changes, version: nextVersion(current.version), updateTime: new Date() };
        const { affectedRows } = await transaction.query<ResultSetHeader>(
          `UPDATE meals SET name = ?, calories = ?, rating = ?, cuisine = ?, eaten_time = ?, version = ?, update_time = ?
            WHERE meal_id = ? AND customer_id = ? AND version = ?`,
          [
            meal.name,
            meal.calories,
            meal.rating,
            meal.cuisine,
            meal.eatenTime,
            meal.version,
            meal.updateTime,
            mealId,
            customerId,
            current.version,
          ],
        );
        if (affectedRows !== 1) throw new Error(`meal ${mealId} moved from version ${current.version} under a row lock`);
        return meal;
      },
      call,
    );
  }

  deleteMeal(customerId: string, mealId: string, expectedVersion: string | undefined, call: CallScope): Promise<void> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const current = await lockMeal(transaction, customerId, mealId, expectedVersion);
        await transaction.query("DELETE FROM meals WHERE meal_id = ? AND customer_id = ? AND version = ?", [
          mealId,
          customerId,
          current.version,
        ]);
      },
      call,
    );
  }

  /** The customer's meals in the range, newest first, strictly after `after` (meals_customer_eaten). */
  async listMeals(customerId: string, range: TimeRange, after: MealPosition | undefined, limit: number): Promise<MealRow[]> {
    const conditions = ["customer_id = ?"];
    const params: unknown[] = [customerId];
    if (range.start) {
      conditions.push("eaten_time >= ?");
      params.push(range.start);
    }
    if (range.end) {
      conditions.push("eaten_time < ?");
      params.push(range.end);
    }
    if (after) {
      conditions.push("(eaten_time < ? OR (eaten_time = ? AND meal_id < ?))");
      params.push(after.eatenTime, after.eatenTime, after.mealId);
    }
    const rows = await this.database.query<StoredMeal[]>(
      `SELECT ${MEAL_COLUMNS} FROM meals WHERE ${conditions.join(" AND ")} ORDER BY eaten_time DESC, meal_id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toMealRow);
  }

  /** Every meal of the customer within the window; one statement, so one consistent read. */
  async mealsWithin(customerId: string, window: DayWindow): Promise<MealRow[]> {
    const rows = await this.database.query<StoredMeal[]>(
      `SELECT ${MEAL_COLUMNS} FROM meals WHERE customer_id = ? AND eaten_time >= ? AND eaten_time < ?`,
      [customerId, window.start, window.end],
    );
    return rows.map(toMealRow);
  }
}

async function lockMeal(
  transaction: Transaction,
  customerId: string,
  mealId: string,
  expectedVersion: string | undefined,
): Promise<MealRow> {
  await lockMealLogForWrite(transaction, customerId);
  const [stored] = await transaction.query<StoredMeal[]>(
    `SELECT ${MEAL_COLUMNS} FROM meals WHERE meal_id = ? AND customer_id = ? FOR UPDATE`,
    [mealId, customerId],
  );
  if (!stored) throw mealNotFound(customerId, mealId);
  const current = toMealRow(stored);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw staleMealEtag(expectedVersion, current.version);
  }
  return current;
}
