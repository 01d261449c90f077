import type { CallScope } from "../../../shared/call/CallScope.js";
import type { Database } from "../../../shared/database/Database.js";
import { type Transaction, runTransaction } from "../../../shared/database/Transaction.js";
import { goalAlreadyExists, goalNotFound, staleGoalEtag } from "../goalErrors.js";
import {
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
import {
  changeLiveGoal,
  insertGoalIfAbsent,
  insertRevision,
  lockGoal,
  replaceGoal,
  selectGoal,
  selectRevisionByRequest,
  type GoalChange,
} from "./goalStatements.js";

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
 * (Updates and deletes do the same in SQL: changeLiveGoal.)
 */
const revisionTimeAfter = (current: GoalRow) => new Date(Math.max(Date.now(), current.updateTime.getTime()));

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
 * Goals and their history. A change is one transaction of two round trips: a
 * version-conditional UPDATE, whose affected rows decide (it locks the row and
 * works on the latest version, see changeLiveGoal), read back in the same
 * packet; then the revision and COMMIT together. A create inserts the row
 * unless there is one and locks whichever row is there (SELECT ... FOR
 * UPDATE) in one round trip, then sends the revision with COMMIT (re-created
 * over a deleted goal, it checks its replace first, so COMMIT goes alone). So two writers can never both build on the same
 * version, and every version has its revision.
 *
 * The SQL is written out (goalStatements.ts) rather than built by TypeORM's
 * query builder: on the hot paths the builder cost several times the database
 * round trip in CPU (docs/performance.md).
 */
export class GoalRepository {
  constructor(private readonly database: Database) {}

  async findGoal(customerId: string): Promise<GoalRow | null> {
    const select = selectGoal(customerId);
    const [stored] = await this.database.query<StoredGoal[]>(select.sql, select.values);
    const row = stored && toGoalRow(stored);
    return isLive(row) ? row : null;
  }

  createGoal(customerId: string, fields: GoalFields, requestId: string | undefined, call: CallScope): Promise<GoalRow> {
    return runTransaction(
      this.database,
      async (transaction) => {
        const now = new Date();
        const first: GoalRow = { customerId, ...fields, version: "1", createTime: now, updateTime: now, deleteTime: null };
        const [{ affectedRows }, [stored], earlier] =
          requestId === undefined
            ? await transaction.send(insertGoalIfAbsent(first), lockGoal(customerId))
            : await transaction.send(
                insertGoalIfAbsent(first),
                lockGoal(customerId),
                selectRevisionByRequest(customerId, requestId),
              );
        // A retried request: the goal it made exists, so nothing was inserted.
        if (earlier?.[0]) return goalAtRevision(toGoalRevisionRow(earlier[0]));
        const revision = (goal: GoalRow) => insertRevision(goal, "CREATE", requestId ?? null);
        if (affectedRows === 1) {
          await transaction.sendAndCommit(revision(first));
          return first;
        }
        const current = toGoalRow(stored);
        if (isLive(current)) throw goalAlreadyExists(customerId, current.version);
        // Re-created over a deleted goal, whose row stays and keeps counting versions; checked before COMMIT
        // (Database sends it after the work).
        const recreated = revisionTimeAfter(current);
        const goal: GoalRow = { ...first, version: nextVersion(current.version), createTime: recreated, updateTime: recreated };
        const [{ affectedRows: replaced }] = await transaction.send(replaceGoal(current.version, goal), revision(goal));
        if (replaced !== 1) throw new Error(`goal ${customerId} moved from version ${current.version} under a row lock`);
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
      (transaction) => changeGoal(transaction, customerId, changes, expectedVersion, "UPDATE"),
      call,
    );
  }

  async deleteGoal(customerId: string, expectedVersion: string | undefined, call: CallScope): Promise<void> {
    await runTransaction(
      this.database,
      (transaction) => changeGoal(transaction, customerId, { delete: true }, expectedVersion, "DELETE"),
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

/**
 * One round trip changes the live goal (only at `expectedVersion` when given)
 * and reads it back: the changed row, or, when nothing changed, the row as the
 * latest commit left it (the UPDATE holds its lock), to say why. The second
 * sends the revision with COMMIT. A refused change rolls back: nothing written.
 */
async function changeGoal(
  transaction: Transaction,
  customerId: string,
  change: GoalChange,
  expectedVersion: string | undefined,
  action: RevisionActionName,
): Promise<GoalRow> {
  const [{ affectedRows }, [stored]] = await transaction.send(
    changeLiveGoal(customerId, change, new Date(), expectedVersion),
    selectGoal(customerId),
  );
  const goal = stored && toGoalRow(stored);
  if (affectedRows !== 1) {
    if (!isLive(goal)) throw goalNotFound(customerId);
    if (expectedVersion !== undefined && expectedVersion !== goal.version) throw staleGoalEtag(expectedVersion, goal.version);
    throw new Error(`goal ${customerId} is live at version ${goal.version}, yet the update changed ${affectedRows} rows`);
  }
  if (!goal) throw new Error(`goal ${customerId} changed but cannot be read back`);
  await transaction.sendAndCommit(insertRevision(goal, action, null));
  return goal;
}
