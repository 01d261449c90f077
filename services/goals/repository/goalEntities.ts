import { EntitySchema } from "typeorm";

export type GoalKindName = "DIET" | "WORKOUT";

/** The current state of a customer's goal; a deleted goal keeps its row so versions never repeat. */
export interface GoalRow {
  customerId: string;
  dailyCalories: number;
  kind: GoalKindName;
  description: string;
  /** BIGINT, which mysql2 hands over as a string. */
  version: string;
  createTime: Date;
  updateTime: Date;
  deleteTime: Date | null;
}

export type RevisionActionName = "CREATE" | "UPDATE" | "DELETE";

/** One version of a goal, written in the same transaction as the change. */
export interface GoalRevisionRow {
  customerId: string;
  version: string;
  action: RevisionActionName;
  dailyCalories: number;
  kind: GoalKindName;
  description: string;
  goalCreateTime: Date;
  revisionTime: Date;
  requestId: string | null;
}

export const GoalEntity = new EntitySchema<GoalRow>({
  name: "Goal",
  tableName: "goals",
  columns: {
    customerId: { name: "customer_id", type: "varchar", length: 64, primary: true },
    dailyCalories: { name: "daily_calories", type: "int" },
    kind: { type: "varchar", length: 16 },
    description: { type: "varchar", length: 500 },
    version: { type: "bigint" },
    createTime: { name: "create_time", type: "datetime", precision: 3 },
    updateTime: { name: "update_time", type: "datetime", precision: 3 },
    deleteTime: { name: "delete_time", type: "datetime", precision: 3, nullable: true },
  },
});

export const GoalRevisionEntity = new EntitySchema<GoalRevisionRow>({
  name: "GoalRevision",
  tableName: "goal_revisions",
  columns: {
    customerId: { name: "customer_id", type: "varchar", length: 64, primary: true },
    version: { type: "bigint", primary: true },
    action: { type: "varchar", length: 8 },
    dailyCalories: { name: "daily_calories", type: "int" },
    kind: { type: "varchar", length: 16 },
    description: { type: "varchar", length: 500 },
    goalCreateTime: { name: "goal_create_time", type: "datetime", precision: 3 },
    revisionTime: { name: "revision_time", type: "datetime", precision: 3 },
    requestId: { name: "request_id", type: "varchar", length: 64, nullable: true },
  },
  uniques: [{ name: "goal_revisions_request", columns: ["customerId", "requestId"] }],
});
