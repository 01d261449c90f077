import type { ExecuteValues } from "mysql2";
import type { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { toGoalRow, type GoalRow, type StoredGoal } from "../../services/goals/repository/goalRows.js";
import { GoalRepository } from "../../services/goals/repository/GoalRepository.js";
import { insertRevision, lockGoal, replaceGoal, selectGoal } from "../../services/goals/repository/goalStatements.js";
import type { Statement } from "../../shared/database/Transaction.js";
import { randomCustomerId, randomInteger } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import type { RestartPolicy } from "../workloads/hotGoal.js";
import { DAILY_CALORIES_RANGE } from "../workloads/updateGoal.js";
import { ceilingCallScope, closeConnections, closeDatabases, openLoopConnections, openLoopDatabases } from "./loopConnections.js";
import { sqlTransaction } from "./sqlTransaction.js";

/**
 * The goals service's database work without gRPC. Statements come from
 * goalStatements.ts, the module the service runs, so they cannot drift.
 *
 * Two ways of doing UpdateGoal: "naive", the sequence the service used before
 * issue 14 and kept as the reference its target is set against (START
 * TRANSACTION, SELECT ... FOR UPDATE, the version-conditional UPDATE of every
 * column, the revision INSERT, COMMIT: five round trips, as prepared
 * statements); and the service's own transaction (GoalRepository.updateGoal
 * over the services' Database class: two round trips).
 */

async function execute<Result>(connection: Connection, statement: Statement<Result>): Promise<Result> {
  const [result] = await connection.execute<ResultSetHeader | RowDataPacket[]>(statement.sql, statement.values as ExecuteValues);
  return result as Result;
}

async function readGoal(connection: Connection, customerId: string, lock: boolean): Promise<GoalRow> {
  const [stored] = await execute<StoredGoal[]>(connection, lock ? lockGoal(customerId) : selectGoal(customerId));
  if (!stored || stored.delete_time !== null) throw new Error(`goal ${customerId} is missing`);
  return toGoalRow(stored);
}

interface GoalChange {
  dailyCalories?: number;
  description?: string;
}

/** The naive UpdateGoal transaction: false, after a ROLLBACK, when `expectedVersion` is no longer current. */
function naiveUpdateGoal(
  connection: Connection,
  customerId: string,
  change: GoalChange,
  expectedVersion?: string,
): Promise<boolean> {
  return sqlTransaction(connection, async () => {
    const current = await readGoal(connection, customerId, true);
    if (expectedVersion !== undefined && current.version !== expectedVersion) return false;
    const goal: GoalRow = { ...current, ...change, version: String(BigInt(current.version) + 1n), updateTime: new Date() };
    const { affectedRows } = await execute(connection, replaceGoal(current.version, goal));
    if (affectedRows !== 1) throw new Error(`goal ${customerId} moved under a row lock`);
    await execute(connection, insertRevision(goal, "UPDATE", null));
    return true;
  });
}

export const rawSqlGetGoal: LoadDriverFactory = async (job) => {
  const connections = await openLoopConnections(job, job.targets.goalsDatabase);
  return {
    call: async (loop) => {
      await readGoal(connections[loop], randomCustomerId(job.catalog), false);
      return 0;
    },
    close: () => closeConnections(connections),
  };
};

export const rawSqlUpdateGoal: LoadDriverFactory = async (job) => {
  const connections = await openLoopConnections(job, job.targets.goalsDatabase);
  return {
    call: async (loop) => {
      const change = { dailyCalories: randomInteger(...DAILY_CALORIES_RANGE) };
      await naiveUpdateGoal(connections[loop], randomCustomerId(job.catalog), change);
      return 0;
    },
    close: () => closeConnections(connections),
  };
};

/** UpdateGoal as the service runs it, statement for statement and round trip for round trip, without gRPC. */
export const repositoryUpdateGoal: LoadDriverFactory = async (job) => {
  const databases = await openLoopDatabases(job, job.targets.goalsDatabase);
  const repositories = databases.map((database) => new GoalRepository(database));
  return {
    call: async (loop) => {
      const change = { dailyCalories: randomInteger(...DAILY_CALORIES_RANGE) };
      await repositories[loop].updateGoal(randomCustomerId(job.catalog), change, undefined, ceilingCallScope(job));
      return 0;
    },
    close: () => closeDatabases(databases),
  };
};

/** The hot-customer loop of a caller that talks SQL: plain read (GetGoal), then the naive UpdateGoal with the etag read. */
export const rawSqlHotGoal =
  (restart: RestartPolicy): LoadDriverFactory =>
  async (job) => {
    const connections = await openLoopConnections(job, job.targets.goalsDatabase);
    const customerId = requireTarget(job.hotCustomerId, "hot customer");
    return {
      call: async (loop) => {
        const connection = connections[loop];
        for (let restarts = 0; ; restarts++) {
          const read = await readGoal(connection, customerId, false);
          const change = { description: String(Number(read.description) + 1) };
          if (await naiveUpdateGoal(connection, customerId, change, read.version)) return restarts;
          await restart(restarts);
        }
      },
      close: () => closeConnections(connections),
    };
  };
