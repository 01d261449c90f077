import { status } from "@grpc/grpc-js";
import { createGoalsClient, Goal, MealplanError } from "@mealplan/client";
import { serviceClientOptions } from "../secureTransport.js";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { backoffDelay } from "../../shared/database/Transaction.js";
import { seedGoals } from "../seedCatalog.js";
import { requireTarget, type LoadDriverFactory } from "../LoadDriver.js";
import type { Bench, MeasuredRun, Workload, WorkloadRow } from "../Workload.js";

/** The number of clients fighting over one goal. */
export const HOT_CLIENTS = 32;

/** What a read-change-write loop does between a refused etag and its next read. */
export type RestartPolicy = (restarts: number) => Promise<void>;

/** Straight back to the read: the loop, the worst case for contention. */
export const restartAtOnce: RestartPolicy = async () => undefined;

/**
 * What the README asks of clients (AIP-194: ABORTED is retried from the read,
 * with backoff): a random pause up to a bound that doubles with each restart
 * (full jitter), so the clients that lost one round do not all collide again.
 */
export const restartAfterBackoff: RestartPolicy = (restarts) =>
  new Promise((resolve) => setTimeout(resolve, backoffDelay(restarts + 1)));

/**
 * Read the goal, add one to the counter kept in its description, write it back
 * with the etag read; start over when the write is refused. Each resolved call
 * is one increment the service acknowledged.
 */
export const hotGoalDriver =
  (restart: RestartPolicy): LoadDriverFactory =>
  async (job) => {
    const client = createGoalsClient(requireTarget(job.targets.goals, "goals"), serviceClientOptions(job.targets));
    const customerId = requireTarget(job.hotCustomerId, "hot customer");
    return {
      call: async () => {
        const deadline = Date.now() + job.callTimeoutMs;
        for (let restarts = 0; ; restarts++) {
          const { goal } = await client.getGoal({ customerId }, { deadline });
          const changed = Goal.create({ customerId, description: String(Number(goal!.description) + 1), etag: goal!.etag });
          try {
            await client.updateGoal({ goal: changed, updateMask: ["description"] }, { deadline });
            return restarts;
          } catch (error) {
            if (!(error instanceof MealplanError) || error.code !== status.ABORTED) throw error;
          }
          await restart(restarts);
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
  return { version: String(row.version), description: String(row.description), revisions: Number(row.revisions) };
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
  const verdict =
    consistent && lost === 0 && unacknowledged === 0
      ? "none lost, none doubled"
      : `MISMATCH: ${lost} lost, ${unacknowledged} unacknowledged`;
  return {
    lost,
    note:
      `${run.measurement.label}: ${acknowledged} increments acknowledged (warm-up included), counter ${landed}, ` +
      `${versionSteps} version steps, ${revisionsAdded} revisions: ${verdict}; ` +
      `${run.measurement.retries} restarts after a refused etag in the measured window`,
  };
}

interface HotVariant {
  /** The row's id and its LOAD_DRIVERS name; the raw-SQL ceiling's is the same with "sql:" before it. */
  id: "HotGoal" | "HotGoalBackoff";
  name: string;
  label: string;
}

const HOT_VARIANTS: HotVariant[] = [
  { id: "HotGoal", name: "UpdateGoal (hot customer, 32 clients, etag + retry)", label: "UpdateGoal hot customer" },
  {
    id: "HotGoalBackoff",
    name: "UpdateGoal (hot customer, 32 clients, etag + retry after backoff)",
    label: "UpdateGoal hot customer, backoff",
  },
];

/** Each variant contends on goals of its own, so each counter checks only its own increments. */
async function measureHotVariant(bench: Bench, variant: HotVariant): Promise<WorkloadRow> {
  const serviceCustomer = `bench-hot-service-${variant.id}`;
  const sqlCustomer = `bench-hot-sql-${variant.id}`;
  await seedGoals(bench.goalsDb, [serviceCustomer, sqlCustomer], "0");
  const [service] = await bench.measure(variant.label, [
    { driver: variant.id, concurrency: HOT_CLIENTS, hotCustomerId: serviceCustomer },
  ]);
  const database = await bench.measureCeiling(`${variant.label}, raw SQL`, {
    driver: `sql:${variant.id}`,
    concurrency: HOT_CLIENTS,
    hotCustomerId: sqlCustomer,
  });
  const serviceCheck = await lostUpdateNote(bench.goalsDb, serviceCustomer, service);
  const databaseCheck = database && (await lostUpdateNote(bench.goalsDb, sqlCustomer, database));
  return {
    id: variant.id,
    name: variant.name,
    service: service,
    database,
    notes: databaseCheck ? [serviceCheck.note, databaseCheck.note] : [serviceCheck.note],
    checks: { lostUpdates: serviceCheck.lost },
  };
}

/**
 * Read, change, write with the etag on one goal from many clients: contention,
 * retries and the lost-update check; once restarting at once, once after a backoff.
 */
export const hotGoalWorkload: Workload = {
  name: "HotGoal",
  services: ["goals"],
  async run(bench) {
    const rows: WorkloadRow[] = [];
    for (const variant of HOT_VARIANTS) rows.push(await measureHotVariant(bench, variant));
    return rows;
  },
};
