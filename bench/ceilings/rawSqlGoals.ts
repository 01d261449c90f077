import type { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { randomCustomerId, randomInteger } from "../catalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import type { RestartPolicy } from "../workloads/hotGoal.js";
import { DAILY_CALORIES_RANGE } from "../workloads/updateGoal.js";
import { closeConnections, openLoopConnections } from "./loopConnections.js";
import { sqlTransaction } from "./sqlTransaction.js";

/**
 * The goals service's statements without gRPC or TypeORM: the same SELECT,
 * the same locking read, the same version-conditional UPDATE of every column
 * and the same revision INSERT, with prepared statements.
 */
const SELECT_GOAL =
  "SELECT customer_id, daily_calories, kind, description, version, create_time, update_time, delete_time FROM goals WHERE customer_id = ?";
const UPDATE_GOAL =
  "UPDATE goals SET daily_calories = ?, kind = ?, description = ?, version = ?, create_time = ?, update_time = ?, delete_time = ? " +
  "WHERE customer_id = ? AND version = ?";
const INSERT_REVISION =
  "INSERT INTO goal_revisions (customer_id, version, action, daily_calories, kind, description, goal_create_time, revision_time, request_id) " +
  "VALUES (?, ?, 'UPDATE', ?, ?, ?, ?, ?, NULL)";

interface GoalRecord extends RowDataPacket {
  customer_id: string;
  daily_calories: number;
  kind: string;
  description: string;
  version: string;
  create_time: Date;
  delete_time: Date | null;
}

interface GoalChange {
  dailyCalories?: number;
  description?: string;
}

async function readGoal(connection: Connection, customerId: string, lock: "" | " FOR UPDATE"): Promise<GoalRecord> {
  const [[goal]] = await connection.execute<GoalRecord[]>(`${SELECT_GOAL}${lock}`, [customerId]);
  if (!goal || goal.delete_time !== null) throw new Error(`goal ${customerId} is missing`);
  return goal;
}

/** UpdateGoal's transaction: false, after a ROLLBACK, when `expectedVersion` is no longer current. */
function updateGoal(connection: Connection, customerId: string, change: GoalChange, expectedVersion?: string): Promise<boolean> {
  return sqlTransaction(connection, async () => {
    const current = await readGoal(connection, customerId, " FOR UPDATE");
    if (expectedVersion !== undefined && current.version !== expectedVersion) return false;
    const version = String(BigInt(current.version) + 1n);
    const dailyCalories = change.dailyCalories ?? current.daily_calories;
    const description = change.description ?? current.description;
    const now = new Date();
    const [result] = await connection.execute<ResultSetHeader>(UPDATE_GOAL, [
      dailyCalories,
      current.kind,
      description,
      version,
      current.create_time,
      now,
      null,
      customerId,
      current.version,
    ]);
    if (result.affectedRows !== 1) throw new Error(`goal ${customerId} moved under a row lock`);
    await connection.execute(INSERT_REVISION, [
      customerId,
      version,
      dailyCalories,
      current.kind,
      description,
      current.create_time,
      now,
    ]);
    return true;
  });
}

export const rawSqlGetGoal: LoadDriverFactory = async (job) => {
  const connections = await openLoopConnections(job, job.targets.goalsDatabase);
  return {
    call: async (loop) => {
      await readGoal(connections[loop], randomCustomerId(job.catalog), "");
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
      await updateGoal(connections[loop], randomCustomerId(job.catalog), change);
      return 0;
    },
    close: () => closeConnections(connections),
  };
};

/** The hot-customer loop of a caller that talks SQL: plain read (GetGoal), then UpdateGoal's transaction with the etag read. */
export const rawSqlHotGoal =
  (restart: RestartPolicy): LoadDriverFactory =>
  async (job) => {
    const connections = await openLoopConnections(job, job.targets.goalsDatabase);
    const customerId = requireTarget(job.hotCustomerId, "hot customer");
    return {
      call: async (loop) => {
        const connection = connections[loop];
        for (let restarts = 0; ; restarts++) {
          const read = await readGoal(connection, customerId, "");
          const change = { description: String(Number(read.description) + 1) };
          if (await updateGoal(connection, customerId, change, read.version)) return restarts;
          await restart(restarts);
        }
      },
      close: () => closeConnections(connections),
    };
  };
