import type { ResultSetHeader } from "mysql2";
import { statement, type Statement } from "../../../shared/database/Transaction.js";
import {
  GOAL_COLUMNS,
  REVISION_COLUMNS,
  type GoalRow,
  type RevisionActionName,
  type StoredGoal,
  type StoredRevision,
} from "./goalRows.js";

/**
 * The statements of the goals service's writes and of GetGoal, in one place:
 * GoalRepository runs them, and the benchmark's raw-SQL ceiling runs the very
 * same ones (bench/ceilings/rawSqlGoals.ts), so the two cannot drift apart.
 */

export const selectGoal = (customerId: string): Statement<StoredGoal[]> =>
  statement(`SELECT ${GOAL_COLUMNS} FROM goals WHERE customer_id = ?`, [customerId]);

/** The row, locked until the transaction ends: the latest committed version, which no one else can change meanwhile. */
export const lockGoal = (customerId: string): Statement<StoredGoal[]> =>
  statement(`SELECT ${GOAL_COLUMNS} FROM goals WHERE customer_id = ? FOR UPDATE`, [customerId]);

export const selectRevisionByRequest = (customerId: string, requestId: string): Statement<StoredRevision[]> =>
  statement(`SELECT ${REVISION_COLUMNS} FROM goal_revisions WHERE customer_id = ? AND request_id = ?`, [customerId, requestId]);

/** The goal's columns after customer_id, in GOAL_COLUMNS' order. */
const goalValues = (goal: GoalRow) => [
  goal.dailyCalories,
  goal.kind,
  goal.description,
  goal.version,
  goal.createTime,
  goal.updateTime,
  goal.deleteTime,
];

/**
 * The goal's first row, unless the customer has one (live or deleted): one row
 * inserted, or none. It waits only for a create of the same customer in
 * flight, and takes no gap lock, so creates of other customers never wait for it.
 */
export const insertGoalIfAbsent = (goal: GoalRow): Statement<ResultSetHeader> =>
  statement(`INSERT IGNORE INTO goals (${GOAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [goal.customerId, ...goalValues(goal)]);

/** Writes `goal` over the row only if it is still at `fromVersion`: one row changed, or none. */
export const replaceGoal = (fromVersion: string, goal: GoalRow): Statement<ResultSetHeader> =>
  statement(
    `UPDATE goals SET daily_calories = ?, kind = ?, description = ?, version = ?, create_time = ?, update_time = ?, delete_time = ?
      WHERE customer_id = ? AND version = ?`,
    [...goalValues(goal), goal.customerId, fromVersion],
  );

export interface GoalChange {
  dailyCalories?: number;
  kind?: string;
  description?: string;
  /** The change deletes the goal. */
  delete?: boolean;
}

/**
 * Changes a live goal in place and moves it to the next version, only at
 * `expectedVersion` when one is given: one row changed, or none (no live goal,
 * or another version). As every UPDATE, it locks the row and works on the
 * latest committed version, not the transaction's snapshot, so two writers
 * queue and each builds on the version before it: no lost update, without a
 * locking read before it. A field left undefined keeps its value. The time of
 * the change is `now`, but never before the change it follows (see
 * revisionTimeAfter in GoalRepository); delete_time is assigned before
 * update_time so that both read the update_time of before.
 */
export const changeLiveGoal = (
  customerId: string,
  change: GoalChange,
  now: Date,
  expectedVersion: string | undefined,
): Statement<ResultSetHeader> =>
  statement(
    `UPDATE goals SET daily_calories = COALESCE(?, daily_calories), kind = COALESCE(?, kind),
        description = COALESCE(?, description), delete_time = IF(?, GREATEST(?, update_time), NULL),
        update_time = GREATEST(?, update_time), version = version + 1
      WHERE customer_id = ? AND delete_time IS NULL AND version = COALESCE(?, version)`,
    [
      change.dailyCalories ?? null,
      change.kind ?? null,
      change.description ?? null,
      change.delete === true,
      now,
      now,
      customerId,
      expectedVersion ?? null,
    ],
  );

export const insertRevision = (goal: GoalRow, action: RevisionActionName, requestId: string | null): Statement<ResultSetHeader> =>
  statement(`INSERT INTO goal_revisions (${REVISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    goal.customerId,
    goal.version,
    action,
    goal.dailyCalories,
    goal.kind,
    goal.description,
    goal.createTime,
    goal.updateTime,
    requestId,
  ]);
