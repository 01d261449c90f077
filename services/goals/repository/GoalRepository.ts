import type { ResultSetHeader } from "mysql2";
import type { CallScope } from "../../../shared/call/CallScope.js";
import type { Database } from "../../../shared/database/Database.js";
import type { Transaction } from "../../../shared/database/Transaction.js";
import { runTransaction } from "../../../shared/database/runTransaction.js";
import { goalAlreadyExists, goalNotFound, staleGoalEtag } from "../goalErrors.js";
import {
  GOAL_COLUMNS,
  REVISION_COLUMNS,
  toGoalRevisionRow,
  toGoalRow,
  type GoalKindName,
  type GoalRevisionRow,
  type GoalRow,
  type RevisionActionName,
  type StoredGoal,
  type StoredRevision,
} from "./goalRows.js";
import { goalInForceAt, goalRevisionsInForce, type InForceWindow } from "./goalsInForce.js";

export interface GoalFields {
  dailyCalories: number;
  kind: GoalKindName;
  description: string;
}

const nextVersion = (version: string) => String(BigInt(version) + 1n);

/**
 * A revision's time: now, but never before the revision it follows. Replicas'
 * clocks differ, and "the goal in force at an instant" must follow the
 * versions; the row lock makes `current` the revision this one follows.
 */
const revisionTimeAfter = (current: GoalRow | undefined) => new Date(Math.max(Date.now(), current?.updateTime.getTime() ?? 0));

const isLive = (row: GoalRow | undefined): row is GoalRow & { deleteTime: null } => row !== undefined && row.deleteTime === null;

/** The goal as a revision recorded it. */
export function goalAtRevision(revision: GoalRevisionRow): GoalRow {
  return {
    customerId: revision.customerId,
    dailyCalories: revision.dailyCalories,
    kind: revision.kind,
    description: revision.description,
    version: revision.version,
    createTime: revision.goalCreateTime,
    updateTime: revision.revisionTime,
    deleteTime: revision.action === "DELETE" ? revision.revisionTime : null,
  };
}

/**
 * Goals and their history. Every change locks the goal row (SELECT ... FOR
 * UPDATE), checks the caller's expected version, writes the row under a
 * version-conditional UPDATE and appends the revision, all in one transaction,
 * so two writers can never both build on the same version.
 *
 * The SQL is written out rather than built by TypeORM's query builder: on the
 * hot paths the builder cost several times the database round trip in CPU
 * (docs/performance.md).
 */
export class GoalRepository {
  constructor(private readonly database: Database) {}

  async findGoal(customerId: string): Promise<GoalRow | null> {
    const [stored] = await this.database.query<StoredGoal[]>(`SELECT ${GOAL_COLUMNS} FROM goals WHERE customer_id = ?`, [
      customerId,
    ]);
    const row = stored && toGoalRow(stored);
    return isLive(row) ? row : null;
  }

  createGoal(customerId: string, fields: GoalFields, requestId: string | undefined, call: CallScope): Promise<GoalRow> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const current = await lockGoal(transaction, customerId);
        if (requestId !== undefined) {
          const [earlier] = await transaction.query<StoredRevision[]>(
            `SELECT ${REVISION_COLUMNS} FROM goal_revisions WHERE customer_id = ? AND request_id = ?`,
            [customerId, requestId],
          );
          if (earlier) return goalAtRevision(toGoalRevisionRow(earlier));
        }
        if (isLive(current)) throw goalAlreadyExists(customerId, current.version);
        const now = revisionTimeAfter(current);
        const goal: GoalRow = {
          customerId,
          ...fields,
          version: current ? nextVersion(current.version) : "1",
          createTime: now,
          updateTime: now,
          deleteTime: null,
        };
        if (current) await writeGoal(transaction, current.version, goal);
        else await insertGoal(transaction, goal);
        await appendRevision(transaction, goal, "CREATE", requestId ?? null);
        return goal;
      },
      call,
    );
  }

  updateGoal(
    customerId: string,
    changes: Partial<GoalFields>,
    expectedVersion: string | undefined,
    call: CallScope,
  ): Promise<GoalRow> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const current = await lockLiveGoal(transaction, customerId, expectedVersion);
        const goal: GoalRow = {
          ...current,
          ...changes,
          version: nextVersion(current.version),
          updateTime: revisionTimeAfter(current),
        };
        await writeGoal(transaction, current.version, goal);
        await appendRevision(transaction, goal, "UPDATE", null);
        return goal;
      },
      call,
    );
  }

  deleteGoal(customerId: string, expectedVersion: string | undefined, call: CallScope): Promise<void> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const current = await lockLiveGoal(transaction, customerId, expectedVersion);
        const now = revisionTimeAfter(current);
        const goal: GoalRow = { ...current, version: nextVersion(current.version), updateTime: now, deleteTime: now };
        await writeGoal(transaction, current.version, goal);
        await appendRevision(transaction, goal, "DELETE", null);
      },
      call,
    );
  }

  /** Revisions older than `beforeVersion` (all when undefined), newest first. */
  async listRevisions(customerId: string, beforeVersion: string | undefined, limit: number): Promise<GoalRevisionRow[]> {
    const after = beforeVersion === undefined ? "" : "AND version < ?";
    const rows = await this.database.query<StoredRevision[]>(
      `SELECT ${REVISION_COLUMNS} FROM goal_revisions WHERE customer_id = ? ${after} ORDER BY version DESC LIMIT ?`,
      beforeVersion === undefined ? [customerId, limit] : [customerId, beforeVersion, limit],
    );
    return rows.map(toGoalRevisionRow);
  }

  /** The goal in force at `instant` (see goalInForceAt); null when none was. */
  goalAsOf(customerId: string, instant: Date): Promise<GoalRow | null> {
    return goalInForceAt(this.database, customerId, instant).then((revision) => revision && goalAtRevision(revision));
  }

  /** The revisions in force at some instant of the window, newest first, paged as listRevisions. */
  listRevisionsInForce(
    customerId: string,
    window: InForceWindow,
    beforeVersion: string | undefined,
    limit: number,
  ): Promise<GoalRevisionRow[]> {
    return goalRevisionsInForce(this.database, customerId, window, beforeVersion, limit);
  }

  /** Whether the customer ever had a goal: a deleted goal keeps its row. */
  async everHadGoal(customerId: string): Promise<boolean> {
    const rows = await this.database.query<{ found: number }[]>("SELECT 1 AS found FROM goals WHERE customer_id = ?", [
      customerId,
    ]);
    return rows.length > 0;
  }
}

async function lockGoal(transaction: Transaction, customerId: string): Promise<GoalRow | undefined> {
  const [stored] = await transaction.query<StoredGoal[]>(`SELECT ${GOAL_COLUMNS} FROM goals WHERE customer_id = ? FOR UPDATE`, [
    customerId,
  ]);
  return stored && toGoalRow(stored);
}

async function lockLiveGoal(transaction: Transaction, customerId: string, expectedVersion: string | undefined): Promise<GoalRow> {
  const current = await lockGoal(transaction, customerId);
  if (!isLive(current)) throw goalNotFound(customerId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw staleGoalEtag(expectedVersion, current.version);
  }
  return current;
}

function insertGoal(transaction: Transaction, goal: GoalRow): Promise<unknown> {
  return transaction.query<ResultSetHeader>(`INSERT INTO goals (${GOAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
    goal.customerId,
    goal.dailyCalories,
    goal.kind,
    goal.description,
    goal.version,
    goal.createTime,
    goal.updateTime,
    goal.deleteTime,
  ]);
}

/** Writes `goal` only over `fromVersion`: the row lock makes this hold, the condition proves it. */
async function writeGoal(transaction: Transaction, fromVersion: string, goal: GoalRow): Promise<void> {
  const { affectedRows } = await transaction.query<ResultSetHeader>(
    `UPDATE goals SET daily_calories = ?, kind = ?, description = ?, version = ?, create_time = ?, update_time = ?, delete_time = ?
      WHERE customer_id = ? AND version = ?`,
    [
      goal.dailyCalories,
      goal.kind,
      goal.description,
      goal.version,
      goal.createTime,
      goal.updateTime,
      goal.deleteTime,
      goal.customerId,
      fromVersion,
    ],
  );
  if (affectedRows !== 1) throw new Error(`goal ${goal.customerId} moved from version ${fromVersion} under a row lock`);
}

function appendRevision(
  transaction: Transaction,
  goal: GoalRow,
  action: RevisionActionName,
  requestId: string | null,
): Promise<unknown> {
  return transaction.query<ResultSetHeader>(
    `INSERT INTO goal_revisions (${REVISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      goal.customerId,
      goal.version,
      action,
      goal.dailyCalories,
      goal.kind,
      goal.description,
      goal.createTime,
      goal.updateTime,
      requestId,
    ],
  );
}
