import type { DataSource, EntityManager } from "typeorm";
import { runTransaction } from "../../../shared/database/runTransaction.js";
import { goalAlreadyExists, goalNotFound, staleGoalEtag } from "../goalErrors.js";
import {
  GoalEntity,
  GoalRevisionEntity,
  type GoalKindName,
  type GoalRevisionRow,
  type GoalRow,
  type RevisionActionName,
} from "./goalEntities.js";

export interface GoalFields {
  dailyCalories: number;
  kind: GoalKindName;
  description: string;
}

const nextVersion = (version: string) => String(BigInt(version) + 1n);

const isLive = (row: GoalRow | null): row is GoalRow & { deleteTime: null } => row !== null && row.deleteTime === null;

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
 */
export class GoalRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findGoal(customerId: string): Promise<GoalRow | null> {
    const row = await this.dataSource.manager.findOneBy(GoalEntity, { customerId });
    return isLive(row) ? row : null;
  }

  createGoal(customerId: string, fields: GoalFields, requestId: string | undefined, deadline: number): Promise<GoalRow> {
    return runTransaction(
      this.dataSource,
      async (manager) => {
        const current = await lockGoal(manager, customerId);
        if (requestId !== undefined) {
          const earlier = await manager.findOneBy(GoalRevisionEntity, { customerId, requestId });
          if (earlier) return goalAtRevision(earlier);
        }
        if (isLive(current)) throw goalAlreadyExists(customerId, current.version);
        const now = new Date();
        const goal: GoalRow = {
          customerId,
          ...fields,
          version: current ? nextVersion(current.version) : "1",
          createTime: now,
          updateTime: now,
          deleteTime: null,
        };
        if (current) await writeGoal(manager, current.version, goal);
        else await manager.insert(GoalEntity, goal);
        await appendRevision(manager, goal, "CREATE", requestId ?? null);
        return goal;
      },
      { deadline },
    );
  }

  updateGoal(
    customerId: string,
    changes: Partial<GoalFields>,
    expectedVersion: string | undefined,
    deadline: number,
  ): Promise<GoalRow> {
    return runTransaction(
      this.dataSource,
      async (manager) => {
        const current = await lockLiveGoal(manager, customerId, expectedVersion);
        const goal: GoalRow = { ...current, ...changes, version: nextVersion(current.version), updateTime: new Date() };
        await writeGoal(manager, current.version, goal);
        await appendRevision(manager, goal, "UPDATE", null);
        return goal;
      },
      { deadline },
    );
  }

  deleteGoal(customerId: string, expectedVersion: string | undefined, deadline: number): Promise<void> {
    return runTransaction(
      this.dataSource,
      async (manager) => {
        const current = await lockLiveGoal(manager, customerId, expectedVersion);
        const now = new Date();
        const goal: GoalRow = { ...current, version: nextVersion(current.version), updateTime: now, deleteTime: now };
        await writeGoal(manager, current.version, goal);
        await appendRevision(manager, goal, "DELETE", null);
      },
      { deadline },
    );
  }

  /** Revisions older than `beforeVersion` (all when undefined), newest first. */
  listRevisions(customerId: string, beforeVersion: string | undefined, limit: number): Promise<GoalRevisionRow[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(GoalRevisionEntity, "revision")
      .where("revision.customerId = :customerId", { customerId });
    if (beforeVersion !== undefined) query.andWhere("revision.version < :beforeVersion", { beforeVersion });
    return query.orderBy("revision.version", "DESC").limit(limit).getMany();
  }
}

function lockGoal(manager: EntityManager, customerId: string): Promise<GoalRow | null> {
  return manager
    .createQueryBuilder(GoalEntity, "goal")
    .setLock("pessimistic_write")
    .where("goal.customerId = :customerId", { customerId })
    .getOne();
}

async function lockLiveGoal(manager: EntityManager, customerId: string, expectedVersion: string | undefined): Promise<GoalRow> {
  const current = await lockGoal(manager, customerId);
  if (!isLive(current)) throw goalNotFound(customerId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw staleGoalEtag(expectedVersion, current.version);
  }
  return current;
}

/** Writes `goal` only over `fromVersion`: the row lock makes this hold, the condition proves it. */
async function writeGoal(manager: EntityManager, fromVersion: string, goal: GoalRow): Promise<void> {
  const { customerId, ...values } = goal;
  const result = await manager
    .createQueryBuilder()
    .update(GoalEntity)
    .set(values)
    .where("customer_id = :customerId AND version = :fromVersion", { customerId, fromVersion })
    .execute();
  if (result.affected !== 1) throw new Error(`goal ${customerId} moved from version ${fromVersion} under a row lock`);
}

function appendRevision(manager: EntityManager, goal: GoalRow, action: RevisionActionName, requestId: string | null) {
  return manager.insert(GoalRevisionEntity, {
    customerId: goal.customerId,
    version: goal.version,
    action,
    dailyCalories: goal.dailyCalories,
    kind: goal.kind,
    description: goal.description,
    goalCreateTime: goal.createTime,
    revisionTime: goal.updateTime,
    requestId,
  });
}
