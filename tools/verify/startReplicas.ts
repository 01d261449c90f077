import { createConnection } from "mysql2/promise";
import { readMysqlUrl, type MysqlServerAddress } from "../../shared/config/environmentParsers.js";
import { clusterUrl } from "../cluster/clusterUrl.js";
import type { GaleraCluster } from "../cluster/GaleraCluster.js";
import { spawnService, type SpawnedService } from "../spawnService.js";

/** One process of a service that the run started, which the fault injector may kill and start again. */
export interface RunningReplica {
  /** "goals A", "meals B". */
  label: string;
  address: string;
  /** Which cluster node the replica uses first, when on a cluster. */
  preferredNode?: number;
  /** kill -9, then start it again on the same port with the same settings; resolves once it listens. */
  killAndRestart(): Promise<void>;
  /** Each time the replica moved to another database node, as it logged it (database_node_changed). */
  nodeChanges(): NodeChangeLine[];
}

export interface Deployment {
  goalsAddresses: string[];
  mealsAddresses: string[];
  /** The processes, when the run started them. */
  replicas: RunningReplica[];
  /** The goals database, when the run started the replicas: the past goal history is written there. */
  goalsDatabase?: string;
  /** The server (or first running cluster node) that database is on. */
  databaseServer?: MysqlServerAddress;
  /** The last error lines the replicas logged, when the run started them: the causes behind UNKNOWN answers. */
  loggedErrors(): string[];
  /** Stops what the run started and drops its databases; nothing for a deployment it was given. */
  stop(): Promise<void>;
}

/** A database_node_changed line of a replica's log. */
export interface NodeChangeLine {
  /** Epoch ms, from the line's ISO 8601 time. */
  time: number;
  from?: string;
  to?: string;
  reason: string;
}

/** Where the replicas run on a Galera cluster, and how they read. */
export interface ClusterPlacement {
  cluster: GaleraCluster;
  galeraSyncWait: number;
}

/** Error lines kept per replica for the report; the services log every call, which a long run must not hold. */
const KEPT_ERROR_LINES = 100;
const REPLICAS_PER_SERVICE = 2;
const STOP_GRACE_MS = 15000;
const REPLICA_NAMES = ["A", "B"];
/**
 * On a 3-node cluster: goals A on node 1, goals B on node 2, meals A on node 2,
 * meals B on node 3, so both services have replicas on two nodes and every
 * node serves someone. Each replica is given all nodes, its own first.
 */
const PREFERRED_NODE = { goals: [1, 2], meals: [2, 3] } as const;

async function dropDatabases(server: MysqlServerAddress, names: string[]): Promise<void> {
  const connection = await createConnection(server);
  try {
    for (const name of names) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

const onlyRecentErrors = (service: SpawnedService) => {
  const errors = service.logs.filter((line) => line.level === "error").slice(-KEPT_ERROR_LINES);
  service.logs.splice(0, service.logs.length, ...errors);
};

const isNodeChange = (line: Record<string, unknown>) =>
  line.msg === "database_node_changed" || line.event === "database_node_changed";

async function stopService(service: SpawnedService, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill(signal);
  const killer = setTimeout(() => service.child.kill("SIGKILL"), STOP_GRACE_MS);
  await service.exited;
  clearTimeout(killer);
}

/** A replica process, kept alive across kills: the same environment, the same port. */
class ReplicaProcess implements RunningReplica {
  address = "";
  private service?: SpawnedService;
  /** Error lines of processes this replica had before the current one. */
  private readonly earlierErrors: Record<string, unknown>[] = [];
  private readonly changes: NodeChangeLine[] = [];
  private readonly trimmer: NodeJS.Timeout;

  constructor(
    private readonly name: "goals" | "meals",
    readonly label: string,
    private readonly env: Record<string, string>,
    readonly preferredNode?: number,
  ) {
    // spawnService keeps every log line; keep only the last errors, so a long run's memory stays flat.
    this.trimmer = setInterval(() => this.trim(), 1000);
    this.trimmer.unref();
  }

  nodeChanges(): NodeChangeLine[] {
    this.trim();
    return [...this.changes];
  }

  async start(): Promise<string> {
    const listen = this.address === "" ? "127.0.0.1:0" : this.address;
    const service = await spawnService(this.name, { ...this.env, [`${this.name.toUpperCase()}_LISTEN`]: listen });
    this.service = service;
    this.address = `127.0.0.1:${service.port}`;
    return this.address;
  }

  async killAndRestart(): Promise<void> {
    if (this.service) {
      this.trim();
      this.earlierErrors.push(...this.service.logs);
      await stopService(this.service, "SIGKILL");
    }
    await this.start();
  }

  loggedErrors(): string[] {
    this.trim();
    return [...this.earlierErrors, ...(this.service?.logs ?? [])].slice(-KEPT_ERROR_LINES).map((line) => JSON.stringify(line));
  }

  /** Keeps the node changes and the last errors of the process's log, and drops the rest. */
  private trim(): void {
    if (!this.service) return;
    for (const line of this.service.logs.filter(isNodeChange)) {
      const { time, from, to, reason } = line as { time?: unknown; from?: unknown; to?: unknown; reason?: unknown };
      this.changes.push({
        time: Date.parse(String(time)),
        from: typeof from === "string" ? from : undefined,
        to: typeof to === "string" ? to : undefined,
        reason: String(reason),
      });
    }
    onlyRecentErrors(this.service);
  }

  async stop(): Promise<void> {
    clearInterval(this.trimmer);
    if (this.service) await stopService(this.service);
  }
}

/**
 * Two processes of each service on free loopback ports: the goals replicas
 * share one throwaway database, the meals replicas another, and meals replica
 * i asks goals replica i + 1, so a meals answer and the goal write it races
 * usually go through different processes.
 *
 * On one server the replicas start one after another: the first migrates the
 * database, the rest find it ready. On a cluster both replicas of a service
 * start at once, each on its own node, and the migration lock lets one migrate
 * (shared/database/migrationLock.ts).
 */
export async function startReplicas(placement?: ClusterPlacement): Promise<Deployment> {
  const runTag = `${process.pid}_${Date.now().toString(36)}`;
  const databases = { goals: `mealplan_verify_goals_${runTag}`, meals: `mealplan_verify_meals_${runTag}` };
  const processes: ReplicaProcess[] = [];
  const databaseServer = (): MysqlServerAddress =>
    placement
      ? { ...placement.cluster.address(firstRunning(placement.cluster)), user: "root", password: "" }
      : readMysqlUrl(process.env);
  const stop = async () => {
    await Promise.all(processes.map((replica) => replica.stop()));
    await dropDatabases(databaseServer(), Object.values(databases));
  };
  const envOf = (name: "goals" | "meals", index: number): Record<string, string> => {
    const env: Record<string, string> = { [`${name.toUpperCase()}_DB`]: databases[name] };
    if (placement) {
      env.MYSQL_URL = clusterUrl(placement.cluster, PREFERRED_NODE[name][index]);
      env.DB_GALERA_SYNC_WAIT = String(placement.galeraSyncWait);
    }
    return env;
  };
  const startService = async (name: "goals" | "meals", extraEnv: (index: number) => Record<string, string>) => {
    const replicas = Array.from(
      { length: REPLICAS_PER_SERVICE },
      (_, index) =>
        new ReplicaProcess(
          name,
          `${name} ${REPLICA_NAMES[index]}`,
          { ...envOf(name, index), ...extraEnv(index) },
          placement ? PREFERRED_NODE[name][index] : undefined,
        ),
    );
    processes.push(...replicas);
    if (placement) return Promise.all(replicas.map((replica) => replica.start()));
    const addresses: string[] = [];
    for (const replica of replicas) addresses.push(await replica.start());
    return addresses;
  };
  try {
    const goalsAddresses = await startService("goals", () => ({}));
    const mealsAddresses = await startService("meals", (index) => ({
      GOALS_TARGET: goalsAddresses[(index + 1) % REPLICAS_PER_SERVICE],
    }));
    return {
      goalsAddresses,
      mealsAddresses,
      replicas: processes,
      goalsDatabase: databases.goals,
      databaseServer: databaseServer(),
      loggedErrors: () => processes.flatMap((replica) => replica.loggedErrors()),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function firstRunning(cluster: GaleraCluster): number {
  const node = cluster.addresses.findIndex((_, index) => cluster.isRunning(index + 1));
  if (node < 0) throw new Error("no node of the cluster runs: its databases cannot be dropped");
  return node + 1;
}
