import type { DataSource, EntityManager } from "typeorm";
import { runTransaction } from "../../../shared/database/runTransaction.js";
import type { DayWindow } from "../domain/calendar.js";
import { mealNotFound, staleMealEtag } from "../mealErrors.js";
import { MealEntity, type MealRow } from "./mealEntities.js";
import { lockMealLogForWrite } from "./mealLogLocks.js";

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
 * expected version and writes under a version-conditional UPDATE.
 */
export class MealRepository {
  constructor(private readonly dataSource: DataSource) {}

  findMeal(customerId: string, mealId: string): Promise<MealRow | null> {
    return this.dataSource.manager.findOneBy(MealEntity, { customerId, mealId });
  }

  createMeal(customerId: string, fields: MealFields, requestId: string | undefined, deadline: number): Promise<MealRow> {
    return runTransaction(
      this.dataSource,
      async (manager) => {
        await lockMealLogForWrite(manager, customerId);
        if (requestId !== undefined) {
          const earlier = await manager.findOneBy(MealEntity, { customerId, requestId });
          if (earlier) return earlier;
        }
        const now = new Date();
        const meal = { customerId, ...fields, version: "1", createTime: now, updateTime: now, requestId: requestId ?? null };
        const { identifiers } = await manager.insert(MealEntity, meal);
        return { ...meal, mealId: String(identifiers[0].mealId) };
      },
      { deadline },
    );
  }

  updateMeal(
    customerId: string,
    mealId: string,
    changes: Partial<MealFields>,
    expectedVersion: string | undefined,
    deadline: number,
  ): Promise<MealRow> {
    return runTransaction(
      this.dataSource,
      async (manager) => {
        const current = await lockMeal(manager, customerId, mealId, expectedVersion);
        const meal: MealRow = { ...current, ...changes, version: nextVersion(current.version), updateTime: new Date() };
        const { name, calories, rating, cuisine, eatenTime, version, updateTime } = meal;
        const result = await manager
          .createQueryBuilder()
          .update(MealEntity)
          .set({ name, calories, rating, cuisine, eatenTime, version, updateTime })
          .where("meal_id = :mealId AND version = :fromVersion", { mealId, fromVersion: current.version })
          .execute();
        if (result.affected !== 1) throw new Error(`meal ${mealId} moved from version ${current.version} under a row lock`);
        return meal;
      },
      { deadline },
    );
  }

  deleteMeal(customerId: string, mealId: string, expectedVersion: string | undefined, deadline: number): Promise<void> {
    return runTransaction(
      this.dataSource,
      async (manager) => {
        const current = await lockMeal(manager, customerId, mealId, expectedVersion);
        await manager.delete(MealEntity, { mealId, version: current.version });
      },
      { deadline },
    );
  }

  /** The customer's meals in the range, newest first, strictly after `after` (meals_customer_eaten). */
  listMeals(customerId: string, range: TimeRange, after: MealPosition | undefined, limit: number): Promise<MealRow[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(MealEntity, "meal")
      .where("meal.customerId = :customerId", { customerId });
    if (range.start) query.andWhere("meal.eatenTime >= :start", { start: range.start });
    if (range.end) query.andWhere("meal.eatenTime < :end", { end: range.end });
    if (after) {
      query.andWhere("(meal.eatenTime < :afterTime OR (meal.eatenTime = :afterTime AND meal.mealId < :afterId))", {
        afterTime: after.eatenTime,
        afterId: after.mealId,
      });
    }
    return query.orderBy("meal.eatenTime", "DESC").addOrderBy("meal.mealId", "DESC").limit(limit).getMany();
  }

  /** Every meal of the customer within the window; one statement, so one consistent read. */
  mealsWithin(customerId: string, window: DayWindow): Promise<MealRow[]> {
    return this.dataSource.manager
      .createQueryBuilder(MealEntity, "meal")
      .where("meal.customerId = :customerId", { customerId })
      .andWhere("meal.eatenTime >= :start AND meal.eatenTime < :end", window)
      .getMany();
  }
}

async function lockMeal(
  manager: EntityManager,
  customerId: string,
  mealId: string,
  expectedVersion: string | undefined,
): Promise<MealRow> {
  await lockMealLogForWrite(manager, customerId);
  const current = await manager
    .createQueryBuilder(MealEntity, "meal")
    .setLock("pessimistic_write")
    .where("meal.mealId = :mealId AND meal.customerId = :customerId", { mealId, customerId })
    .getOne();
  if (!current) throw mealNotFound(customerId, mealId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw staleMealEtag(expectedVersion, current.version);
  }
  return current;
}
