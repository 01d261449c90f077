import { EntitySchema } from "typeorm";

export interface MealRow {
  /** BIGINT AUTO_INCREMENT, a string as mysql2 hands it over. */
  mealId: string;
  customerId: string;
  name: string;
  calories: number;
  rating: number;
  cuisine: string;
  eatenTime: Date;
  version: string;
  createTime: Date;
  updateTime: Date;
  requestId: string | null;
}

/**
 * One row per customer who logged a meal: the lock that orders every change
 * to that customer's meals. Writers hold it exclusively, summaries and
 * recommendations share it, so "what the customer ate" cannot change under a
 * reader without any gap lock on the meals table.
 */
export interface MealLogRow {
  customerId: string;
  /** Grows by one with every meal written for the customer. */
  logVersion: string;
}

export const MealEntity = new EntitySchema<MealRow>({
  name: "Meal",
  tableName: "meals",
  columns: {
    mealId: { name: "meal_id", type: "bigint", primary: true, generated: "increment" },
    customerId: { name: "customer_id", type: "varchar", length: 64 },
    name: { type: "varchar", length: 200 },
    calories: { type: "int" },
    rating: { type: "tinyint" },
    cuisine: { type: "varchar", length: 64 },
    eatenTime: { name: "eaten_time", type: "datetime", precision: 3 },
    version: { type: "bigint" },
    createTime: { name: "create_time", type: "datetime", precision: 3 },
    updateTime: { name: "update_time", type: "datetime", precision: 3 },
    requestId: { name: "request_id", type: "varchar", length: 64, nullable: true },
  },
});

export const MealLogEntity = new EntitySchema<MealLogRow>({
  name: "MealLog",
  tableName: "meal_logs",
  columns: {
    customerId: { name: "customer_id", type: "varchar", length: 64, primary: true },
    logVersion: { name: "log_version", type: "bigint" },
  },
});
