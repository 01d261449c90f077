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

export const GOAL_COLUMNS = "customer_id, daily_calories, kind, description, version, create_time, update_time, delete_time";

export const REVISION_COLUMNS =
  "customer_id, version, action, daily_calories, kind, description, goal_create_time, revision_time, request_id";

/** A `goals` row as mysql2 returns it. */
export interface StoredGoal {
  customer_id: string;
  daily_calories: number;
  kind: GoalKindName;
  description: string;
  version: string;
  create_time: Date;
  update_time: Date;
  delete_time: Date | null;
}

export interface StoredRevision {
  customer_id: string;
  version: string;
  action: RevisionActionName;
  daily_calories: number;
  kind: GoalKindName;
  description: string;
  goal_create_time: Date;
  revision_time: Date;
  request_id: string | null;
}

export const toGoalRow = (stored: StoredGoal): GoalRow => ({
  customerId: stored.customer_id,
  dailyCalories: stored.daily_calories,
  kind: stored.kind,
  description: stored.description,
  version: stored.version,
  createTime: stored.create_time,
  updateTime: stored.update_time,
  deleteTime: stored.delete_time,
});

export const toGoalRevisionRow = (stored: StoredRevision): GoalRevisionRow => ({
  customerId: stored.customer_id,
  version: stored.version,
  action: stored.action,
  dailyCalories: stored.daily_calories,
  kind: stored.kind,
  description: stored.description,
  goalCreateTime: stored.goal_create_time,
  revisionTime: stored.revision_time,
  requestId: stored.request_id,
});
