import { mkdir } from "node:fs/promises";
import { cpus } from "node:os";
import { createConnection, type Connection, type RowDataPacket } from "mysql2/promise";
import { readMysqlUrl } from "../shared/config/environmentParsers.js";
import { startCluster } from "../tools/cluster/GaleraCluster.js";
import { clusterUrl } from "../tools/cluster/clusterUrl.js";
import { BENCH_HELP, parseBenchOptions, UsageError, type BenchOptions } from "./benchOptions.js";
import { isMealsServiceBuilt, startBenchStack } from "./benchStack.js";
import type { CatalogShape } from "./catalog.js";
import { measure, type MeasureContext } from "./measure.js";
import { databaseServerPid, machineBusyMs } from "./processStats.js";
import { ProgressLine } from "./ProgressLine.js";
import { countRoundTrips, type RoundTripCount } from "./roundTrips.js";
import { describeMachine, writeReport } from "./report.js";
import { catalogCustomers, seedGoals, seedMeals } from "./seedCatalog.js";
import { evaluateTargets } from "./targets.js";
import type { Bench, LoadSpec, MeasuredRun, WorkloadRow } from "./Workload.js";
import { WORKLOADS } from "./workloads/allWorkloads.js";

/** Apart from the cluster CLI's default (24100), test/cluster (24200, 24500, 24600) and verify (24300). */
const BENCH_CLUSTER_BASE_PORT = 24400;

/** The issue's catalog shape: each customer logged about 20 meals over the last 30 days. */
const MEALS_PER_CUSTOMER = 20;

function readOptions(): BenchOptions {
  const names = WORKLOADS.map((workload) => workload.name);
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(BENCH_HELP.replace("WORKLOAD_NAMES", names.join(", ")));
    process.exit(0);
  }
  try {
    return parseBenchOptions(process.argv.slice(2), names);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${BENCH_HELP.replace("WORKLOAD_NAMES", names.join(", "))}`);
    process.exit(2);
  }
}

/** How to run this again: what the results file records as the command. */
function commandLine(): string {
  const args = process.argv.slice(2).join(" ");
  return process.env.npm_lifecycle_event === "bench"
    ? `npm run bench${args ? ` -- ${args}` : ""}`
    : `node dist/bench/main.js ${args}`.trim();
}

const openDatabase = (mysql: ReturnType<typeof readMysqlUrl>, database: string): Promise<Connection> =>
  createConnection({ ...mysql, database, timezone: "Z", supportBigNumbers: true, bigNumberStrings: true });

const bufferPoolMb = async (db: Connection) =>
  Number((await db.query<RowDataPacket[]>("SELECT @@innodb_buffer_pool_size AS size"))[0][0].size) / 1024 / 1024;

/**
 * The server's buffer pool for the run (--buffer-pool-mb), resized online, and
 * a note of the size the run had: at ten million meals it decides whether a
 * recommendation reads its customer's pages from memory or from disk.
 * Returns how to restore the size of before.
 */
async function sizeBufferPool(db: Connection, wantedMb: number | undefined): Promise<(() => Promise<void>) | undefined> {
  const before = await bufferPoolMb(db);
  if (wantedMb === undefined) {
    notes.push(`MariaDB's innodb_buffer_pool_size was the server's own: ${before} MB.`);
    return undefined;
  }
  await db.query("SET GLOBAL innodb_buffer_pool_size = ?", [wantedMb * 1024 * 1024]);
  notes.push(
    `MariaDB's innodb_buffer_pool_size was set to ${await bufferPoolMb(db)} MB for the run (--buffer-pool-mb; ${before} MB before, restored after).`,
  );
  return async () => {
    await db.query("SET GLOBAL innodb_buffer_pool_size = ?", [before * 1024 * 1024]);
  };
}

const count = (value: number) => value.toLocaleString("en-US");
const options = readOptions();
const progress = new ProgressLine();
const mealsBuilt = isMealsServiceBuilt();
const selected = WORKLOADS.filter((workload) => options.workloads?.includes(workload.name) ?? true);
const runnable = selected.filter((workload) => mealsBuilt || !workload.services.includes("meals"));
const notes = selected
  .filter((workload) => !runnable.includes(workload))
  .map((workload) => `${workload.name} skipped: dist/services/meals/main.js is not built`);
const startedAt = new Date();

/** Other work on the machine skews every number; measure it first so the report can say so. */
const QUIET_SAMPLE_MS = 2000;
const busyBefore = machineBusyMs();
await new Promise((resolve) => setTimeout(resolve, QUIET_SAMPLE_MS));
const busyPercent = Math.round(((machineBusyMs() - busyBefore) / QUIET_SAMPLE_MS) * 100);
notes.push(
  `Before the run, other work kept the machine ${busyPercent}% busy (percent of one core; ${cpus().length * 100}% is all of it).`,
);
if (busyPercent > 20) progress.print(`warning: the machine is already ${busyPercent}% busy; results will be noisy`);

if (options.cpuProfileDir) await mkdir(options.cpuProfileDir, { recursive: true });
// The services read MYSQL_URL from the environment they inherit: on a cluster, every node, node 1 first.
const cluster = options.cluster ? await startCluster({ basePort: BENCH_CLUSTER_BASE_PORT }) : undefined;
if (cluster) {
  process.env.MYSQL_URL = clusterUrl(cluster, 1);
  notes.push(`The services ran on a 3-node Galera cluster on loopback: MYSQL_URL=${process.env.MYSQL_URL}.`);
}
const mysql = readMysqlUrl(process.env);
// As many connections as the raw-SQL ceiling opens (one per loop), unless the environment says otherwise.
const servicePoolSize = process.env.DB_POOL_SIZE ?? String(options.concurrency);
notes.push(`The services ran with DB_POOL_SIZE=${servicePoolSize}: database connections per service.`);
const stack = await startBenchStack({
  mysql,
  withMeals: runnable.some((workload) => workload.services.includes("meals")),
  cpuProfileDir: options.cpuProfileDir,
  keepDatabases: options.keepDatabases,
  poolSize: servicePoolSize,
  secure: options.secure,
});
if (options.secure) notes.push("The services served mTLS with deploy/policy.example.yaml, metrics on (--secure).");
let stopping = false;
const stopOnSignal = () => {
  if (stopping) return;
  stopping = true;
  progress.print("interrupted: stopping the services and dropping the databases");
  void stack.stop().finally(() => process.exit(130));
};
process.on("SIGINT", stopOnSignal);
process.on("SIGTERM", stopOnSignal);

const rows: WorkloadRow[] = [];
let roundTrips: RoundTripCount[] = [];
let peakRssMb: Record<string, number> = {};
const catalog: CatalogShape = { customers: 0, meals: 0 };
let workloadCatalog: CatalogShape = catalog;
let goalsDb: Connection | undefined;
let mealsDb: Connection | undefined;
let restoreBufferPool: (() => Promise<void>) | undefined;
try {
  const goals = (goalsDb = await openDatabase(mysql, stack.targets.goalsDatabase));
  restoreBufferPool = await sizeBufferPool(goals, options.bufferPoolMb);
  const meals = (mealsDb = stack.targets.mealsDatabase ? await openDatabase(mysql, stack.targets.mealsDatabase) : undefined);
  const [pidRows] = await goals.query<RowDataPacket[]>("SELECT @@pid_file AS pidFile");
  // Only a server on this machine competes for the cores the bench measures.
  const databasePid = ["127.0.0.1", "localhost", "::1"].includes(mysql.host)
    ? databaseServerPid(String(pidRows[0].pidFile))
    : undefined;
  const context: MeasureContext = {
    options,
    targets: stack.targets,
    catalog,
    watched: { ...stack.pids, ...(databasePid ? { mariadbd: databasePid } : {}) },
    services: stack.services,
    serviceErrorLogs: () => stack.serviceErrorLogs(),
    statusDb: goals,
    progress,
  };
  const measureWhileRunning = async (label: string, specs: LoadSpec[]) => {
    stack.assertRunning();
    const runs = await measure(context, label, specs);
    stack.assertRunning();
    return runs;
  };
  let transport: Promise<MeasuredRun> | undefined;
  const bench: Bench = {
    options,
    catalog,
    goalsDb: goals,
    mealsDb: meals,
    measure: (label, specs) => measureWhileRunning(label, specs),
    measureCeiling: async (label, spec) => (options.ceilings ? (await measureWhileRunning(label, [spec]))[0] : undefined),
    transportCeiling: () => {
      if (!options.ceilings) return Promise.resolve(undefined);
      return (transport ??= measureWhileRunning("echo (transport ceiling)", [{ driver: "Echo" }]).then(([run]) => run));
    },
    growCatalog: async (mealCount) => {
      const customers = Math.ceil(mealCount / MEALS_PER_CUSTOMER);
      if (customers <= catalog.customers) return;
      progress.print(`seeding the catalog up to ${count(customers)} customers${meals ? ` and ${count(mealCount)} meals` : ""}`);
      // New meals go to new customers only, so every customer keeps the same history length.
      await seedGoals(goals, catalogCustomers(catalog.customers, customers));
      if (meals) {
        await seedMeals(meals, { from: catalog.customers, to: customers }, mealCount - catalog.meals);
        catalog.meals = mealCount;
        // A bulk load leaves the optimizer's statistics behind the table; a live table's are current.
        await meals.query("ANALYZE TABLE meals, meal_logs");
      }
      catalog.customers = customers;
    },
  };
  await bench.growCatalog(options.catalogMeals);
  workloadCatalog = { ...catalog };
  roundTrips = await countRoundTrips(stack.targets, goals, meals);
  for (const workload of runnable) {
    progress.print(`${workload.name}`);
    rows.push(...(await workload.run(bench)));
  }
} finally {
  await restoreBufferPool?.();
  await goalsDb?.end();
  await mealsDb?.end();
  peakRssMb = await stack.stop();
}
const orchestratorCpu = process.cpuUsage();
notes.push(
  `The bench process itself (seeding, progress, reading the services' logs) used ${((orchestratorCpu.user + orchestratorCpu.system) / 1e6).toFixed(1)} s of CPU over the run.`,
);

const report = {
  command: commandLine(),
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  machine: await describeMachine(mysql),
  options,
  catalog: workloadCatalog,
  rows,
  roundTrips,
  peakRssMb,
  targets: evaluateTargets(rows, peakRssMb, stack.services, roundTrips),
  notes,
  serviceErrorLogSamples: stack.errorLogSamples,
};
const written = await writeReport(report);
await cluster?.stop();
progress.print(`results: ${written.join(", ")}`);
