import { credentials, status, type ServiceError } from "@grpc/grpc-js";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { callUnary } from "../../shared/grpc/callUnary.js";
import { Goal, GoalsServiceClient } from "../../gen/mealplan/goals/v1/goals.js";
import { seedGoals } from "../seedCatalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import type { MeasuredRun, Workload } from "../Workload.js";

/** The number of clients fighting over one goal. */
export const HOT_CLIENTS = 32;
export const HOT_SERVICE_CUSTOMER = "bench-hot-service";
export const HOT_SQL_CUSTOMER = "bench-hot-sql";

/**
 * Read the goal, add one to the counter kept in its description, write it back
 * with the etag read; start over when the write is refused. Each resolved call
 * is one increment the service acknowledged.
 */
export const hotGoalDriver: LoadDriverFactory = async (job) => {
  const client = new GoalsServiceClient(requireTarget(job.targets.goals, "goals"), credentials.createInsecure());
  const customerId = requireTarget(job.hotCustomerId, "hot customer");
  return {
    call: async () => {
      const deadline = Date.now() + job.callTimeoutMs;
      for (let restarts = 0; ; restarts++) {
        const { goal } = await callUnary(client, client.getGoal, { customerId }, deadline);
        const changed = Goal.create({ customerId, description: String(Number(goal!.description) + 1), etag: goal!.etag });
        try {
          await callUnary(client, client.updateGoal, { goal: changed, updateMask: ["description"] }, deadline);
          return restarts;
        } catch (error) {
          if ((error as ServiceError).code !== status.ABORTED) throw error;
        }
      }
    },
    close: async () => client.close(),
  };
};

interface HotGoalState {
  version: string;
  description: string;
  revisions: number;
}

async function readHotGoal(db: Connection, customerId: string): Promise<HotGoalState> {
  const [[row]] = await db.query<RowDataPacket[]>(
    `SELECT version, description, (SELECT COUNT(*) FROM goal_revisions r WHERE r.customer_id = g.customer_id) AS revisions
     FROM goals g WHERE customer_id = ?`,
    [customerId],
  );
  return { version: String(row!.version), description: String(row!.description), revisions: Number(row!.revisions) };
}

/**
 * Every acknowledged increment must be in the counter exactly once, and every
 * version step must have its revision: a lost update shows as a counter below
 * the acknowledgements, a double write as one above.
 */
async function lostUpdateNote(db: Connection, customerId: string, run: MeasuredRun): Promise<{ note: string; lost: number }> {
  const state = await readHotGoal(db, customerId);
  const acknowledged = run.measurement.succeededIncludingWarmup;
  const landed = Number(state.description);
  const versionSteps = Number(state.version) - 1;
  const revisionsAdded = state.revisions - 1;
  const consistent = landed === versionSteps && versionSteps === revisionsAdded;
  const lost = Math.max(0, acknowledged - landed);
  // A write whose acknowledgement was lost (a deadline) lands without being counted: not lost, but not exact either.
  const unacknowledged = Math.max(0, landed - acknowledged);
  const verdict = consistent && lost === 0 && unacknowledged === 0 ? "none lost, none doubled" : `MISMATCH: ${lost} lost, ${unacknowledged} unacknowledged`;
  return {
    lost,
    note:
      `${run.measurement.label}: ${acknowledged} increments acknowledged (warm-up included), counter ${landed}, ` +
      `${versionSteps} version steps, ${revisionsAdded} revisions: ${verdict}; ` +
      `${run.measurement.retries} restarts after a refused etag in the measured window`,
  };
}

/** Read, change, write with the etag on one goal from many clients: contention, retries and the lost-update check. */
export const hotGoalWorkload: Workload = {
  name: "HotGoal",
  services: ["goals"],
  async run(bench) {
    await seedGoals(bench.goalsDb, [HOT_SERVICE_CUSTOMER, HOT_SQL_CUSTOMER], "0");
    const [service] = await bench.measure("UpdateGoal hot customer", [
      { driver: "HotGoal", concurrency: HOT_CLIENTS, hotCustomerId: HOT_SERVICE_CUSTOMER },
    ]);
    const database = await bench.measureCeiling("UpdateGoal hot customer, raw SQL", {
      driver: "sql:HotGoal",
      concurrency: HOT_CLIENTS,
      hotCustomerId: HOT_SQL_CUSTOMER,
    });
    const serviceCheck = await lostUpdateNote(bench.goalsDb, HOT_SERVICE_CUSTOMER, service!);
    const databaseCheck = database && (await lostUpdateNote(bench.goalsDb, HOT_SQL_CUSTOMER, database));
    return [
      {
        id: "HotGoal",
        name: "UpdateGoal (hot customer, 32 clients, etag + retry)",
        service: service!,
        database,
        notes: databaseCheck ? [serviceCheck.note, databaseCheck.note] : [serviceCheck.note],
        checks: { lostUpdates: serviceCheck.lost },
      },
    ];
  },
};
