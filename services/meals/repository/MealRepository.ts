import type { ResultSetHeader } from "mysql2";
import type { CallScope } from "../../../shared/call/CallScope.js";
import type { Database } from "../../../shared/database/Database.js";
import { runTransaction } from "../../../shared/database/Transaction.js";
import type { DayWindow } from "../domain/calendar.js";
import { mealNotFound, staleMealEtag } from "../mealErrors.js";
import { MEAL_COLUMNS, toMealRow, type MealRow, type StoredMeal } from "./mealRows.js";
import {
  changeMeal,
  deleteMeal as deleteMealStatement,
  insertMeal,
  lockMealLogForWrite,
  selectMeal,
  selectMealByRequest,
} from "./mealStatements.js";

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

/**
 * Meals and their changes. Every write first takes the customer's meal log
 * exclusively (lockMealLogForWrite), then changes the meal with a
 * version-conditional statement whose affected rows decide, all in the first
 * round trip; the second commits (or rolls back a refused change). The SQL is
 * written out (mealStatements.ts), as in GoalRepository, for the CPU it saves
 * per call.
 */
export class MealRepository {
  constructor(private readonly database: Database) {}

  async findMeal(customerId: string, mealId: string): Promise<MealRow | null> {
    const select = selectMeal(customerId, mealId);
    const [stored] = await this.database.query<StoredMeal[]>(select.sql, select.values);
    return stored ? toMealRow(stored) : null;
  }

  createMeal(customerId: string, fields: MealFields, requestId: string | undefined, call: CallScope): Promise<MealRow> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const now = new Date();
        const meal = { customerId, ...fields, createTime: now, requestId: requestId ?? null };
        const created = ({ insertId }: ResultSetHeader): MealRow => ({
          ...meal,
          mealId: String(insertId),
          version: "1",
          updateTime: now,
        });
        if (requestId === undefined) {
          // COMMIT follows on its own: a statement that may wait for a lock never travels with it (Database.transaction).
          const [, inserted] = await transaction.send(lockMealLogForWrite(customerId), insertMeal(meal));
          return created(inserted);
        }
        const [, [earlier]] = await transaction.send(lockMealLogForWrite(customerId), selectMealByRequest(customerId, requestId));
        if (earlier) return toMealRow(earlier);
        const [inserted] = await transaction.sendAndCommit(insertMeal(meal));
        return created(inserted);
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
        const [, { affectedRows }, [stored]] = await transaction.send(
          lockMealLogForWrite(customerId),
          changeMeal(customerId, mealId, changes, new Date(), expectedVersion),
          selectMeal(customerId, mealId),
        );
        if (affectedRows !== 1) throw refusal(customerId, mealId, expectedVersion, stored);
        return toMealRow(stored);
      },
      call,
    );
  }

  deleteMeal(customerId: string, mealId: string, expectedVersion: string | undefined, call: CallScope): Promise<void> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const [, { affectedRows }, [stored]] = await transaction.send(
          lockMealLogForWrite(customerId),
          deleteMealStatement(customerId, mealId, expectedVersion),
          selectMeal(customerId, mealId),
        );
        if (affectedRows !== 1) throw refusal(customerId, mealId, expectedVersion, stored);
      },
      call,
    );
  }

  /** The customer's meals in the range, newest first, strictly after `after` (meals_customer_history). */
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

/**
 * Why a conditional write changed nothing, from the meal as the latest commit
 * left it (the write's lock holds it): it is missing, or at another version.
 */
function refusal(
  customerId: string,
  mealId: string,
  expectedVersion: string | undefined,
  current: StoredMeal | undefined,
): Error {
  if (!current) return mealNotFound(customerId, mealId);
  if (expectedVersion !== undefined && expectedVersion !== current.version)
    return staleMealEtag(expectedVersion, current.version);
  return new Error(`meal ${mealId} is at version ${current.version}, yet the write changed no row`);
}
