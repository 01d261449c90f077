import { createConnection } from "mysql2/promise";
import { readMysqlUrl } from "../../shared/config/environmentParsers.js";
import { spawnService, type SpawnedService } from "../spawnService.js";

export interface Deployment {
  goalsAddresses: string[];
  mealsAddresses: string[];
  /** The goals database, when the run started the replicas: the past goal history is written there. */
  goalsDatabase?: string;
  /** The last error lines the replicas logged, when the run started them: the causes behind UNKNOWN answers. */
  loggedErrors(): string[];
  /** Stops what the run started and drops its databases; nothing for a deployment it was given. */
  stop(): Promise<void>;
}

/** Error lines kept per replica for the report; the services log every call, which a long run must not hold. */
const KEPT_ERROR_LINES = 100;
const REPLICAS_PER_SERVICE = 2;
const STOP_GRACE_MS = 15000;

async function dropDatabases(names: string[]): Promise<void> {
  const connection = await createConnection(readMysqlUrl(process.env));
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

/** spawnService keeps every log line; drop all but the last errors, so a long run's memory stays flat. */
function keepOnlyErrors(service: SpawnedService): NodeJS.Timeout {
  const timer = setInterval(() => onlyRecentErrors(service), 1000);
  timer.unref();
  return timer;
}

async function stopService(service: SpawnedService): Promise<void> {
  if (service.child.exitCode !== null) return;
  service.child.kill("SIGTERM");
  const killer = setTimeout(() => service.child.kill("SIGKILL"), STOP_GRACE_MS);
  await service.exited;
  clearTimeout(killer);
}

/**
 * Two processes of each service on free loopback ports: the
 * goals replicas share one throwaway database, the meals replicas another,
 * and meals replica i asks goals replica i + 1, so a meals answer and the goal
 * write it races usually go through different processes. Replicas start one
 * after another: the first migrates the database, the rest find it ready.
 */
export async function startReplicas(): Promise<Deployment> {
  const runTag = `${process.pid}_${Date.now().toString(36)}`;
  const goalsDatabase = `mealplan_verify_goals_${runTag}`;
  const mealsDatabase = `mealplan_verify_meals_${runTag}`;
  const services: SpawnedService[] = [];
  const timers: NodeJS.Timeout[] = [];
  const stop = async () => {
    for (const timer of timers) clearInterval(timer);
    await Promise.all(services.map(stopService));
    await dropDatabases([goalsDatabase, mealsDatabase]);
  };
  try {
    const start = async (name: "goals" | "meals", env: Record<string, string>) => {
      const service = await spawnService(name, env);
      services.push(service);
      timers.push(keepOnlyErrors(service));
      return `127.0.0.1:${service.port}`;
    };
    const goalsAddresses: string[] = [];
    for (let index = 0; index < REPLICAS_PER_SERVICE; index++) {
      goalsAddresses.push(await start("goals", { GOALS_DB: goalsDatabase, GOALS_LISTEN: "127.0.0.1:0" }));
    }
    const mealsAddresses: string[] = [];
    for (let index = 0; index < REPLICAS_PER_SERVICE; index++) {
      const goalsTarget = goalsAddresses[(index + 1) % REPLICAS_PER_SERVICE];
      mealsAddresses.push(
        await start("meals", { MEALS_DB: mealsDatabase, MEALS_LISTEN: "127.0.0.1:0", GOALS_TARGET: goalsTarget }),
      );
    }
    const loggedErrors = () =>
      services.flatMap((service) => {
        onlyRecentErrors(service);
        return service.logs.map((line) => JSON.stringify(line));
      });
    return { goalsAddresses, mealsAddresses, goalsDatabase, loggedErrors, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
