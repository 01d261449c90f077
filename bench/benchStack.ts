import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { createConnection } from "mysql2/promise";
import type { MysqlServerAddress } from "../shared/config/environmentParsers.js";
import { spawnService, type SpawnedService } from "../tools/spawnService.js";
import type { LoadTargets } from "./loadProtocol.js";
import { secureServiceEnvironment } from "./secureTransport.js";
import { memoryMbOf } from "./processStats.js";
import type { ServiceName } from "./Workload.js";

export interface BenchStack {
  targets: LoadTargets;
  /** Process ids of the servers, by name: goals, meals (when it runs), echo. */
  pids: Record<string, number>;
  /** The service names among `pids`. */
  services: ServiceName[];
  /** Lines at level error the services logged so far; the first few are kept in `errorLogSamples`. */
  serviceErrorLogs: () => number;
  errorLogSamples: string[];
  /** Throws if a server exited on its own: every later number would be about a dead process. */
  assertRunning(): void;
  /** Stops every server, drops the databases unless kept, and returns each server's peak RSS (VmHWM) in MB. */
  stop(): Promise<Record<string, number>>;
}

export interface StackOptions {
  mysql: MysqlServerAddress;
  withMeals: boolean;
  cpuProfileDir: string | undefined;
  keepDatabases: boolean;
  /** The services' DB_POOL_SIZE. */
  poolSize: string;
  /** mTLS, the example access policy and metrics on (--secure). */
  secure: boolean;
}

const ECHO_SERVER = new URL("./ceilings/echoServer.js", import.meta.url);
const CPU_PROFILER = new URL("./cpuProfile.js", import.meta.url);
const MEALS_MAIN = new URL("../services/meals/main.js", import.meta.url);
const ERROR_LEVEL = '"level":"error"';
const KEPT_ERROR_SAMPLES = 5;

export const isMealsServiceBuilt = () => existsSync(MEALS_MAIN);

/**
 * spawnService parses every log line into memory, but the services log every
 * call: at thousands of calls a second that would cost the bench a share of
 * the cores it measures. Past start-up only error lines are looked at.
 */
function watchErrorLines(stdout: Readable, onError: (line: string) => void): void {
  stdout.removeAllListeners("data");
  let partial = "";
  stdout.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString("utf8");
    const lastBreak = text.lastIndexOf("\n");
    partial = text.slice(lastBreak + 1);
    if (!text.includes(ERROR_LEVEL)) return;
    for (const line of text.slice(0, lastBreak).split("\n")) if (line.includes(ERROR_LEVEL)) onError(line);
  });
}

function startEchoServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(ECHO_SERVER, [], { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (message: { port: number }) => resolve({ child, port: message.port }));
    child.once("exit", (code) => reject(new Error(`the echo server exited with ${code} before listening`)));
  });
}

async function dropDatabases(mysql: MysqlServerAddress, names: string[]): Promise<void> {
  const connection = await createConnection(mysql);
  try {
    for (const name of names) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** The servers under test, each a separate process on a loopback port, over databases of their own. */
export async function startBenchStack({
  mysql,
  withMeals,
  cpuProfileDir,
  keepDatabases,
  poolSize,
  secure,
}: StackOptions): Promise<BenchStack> {
  const serviceEnv: Record<string, string> = {
    DB_POOL_SIZE: poolSize,
    ...(cpuProfileDir ? { NODE_OPTIONS: `--import=${CPU_PROFILER.href}`, BENCH_CPU_PROFILE_DIR: resolve(cpuProfileDir) } : {}),
  };
  const security = secure ? await secureServiceEnvironment() : undefined;
  const goalsDatabase = `mealplan_bench_goals_${process.pid}`;
  const mealsDatabase = `mealplan_bench_meals_${process.pid}`;
  const databases = withMeals ? [goalsDatabase, mealsDatabase] : [goalsDatabase];
  await dropDatabases(mysql, databases);

  const running: Array<{ name: string; child: ChildProcess; exited: Promise<unknown> }> = [];
  const errorLogSamples: string[] = [];
  let errorLogs = 0;
  const onErrorLine = (line: string) => {
    errorLogs += 1;
    if (errorLogSamples.length < KEPT_ERROR_SAMPLES) errorLogSamples.push(line);
  };
  let stopping = false;
  const unexpectedExits: string[] = [];
  const track = (name: string, child: ChildProcess, exited: Promise<unknown>) => {
    running.push({ name, child, exited });
    void exited.then((code) => {
      if (!stopping) unexpectedExits.push(`${name} (pid ${child.pid}) exited with ${String(code)} during the run`);
    });
  };
  const adopt = (name: string, service: SpawnedService) => {
    watchErrorLines(service.child.stdout!, onErrorLine);
    track(name, service.child, service.exited);
    return service;
  };

  const stop = async (): Promise<Record<string, number>> => {
    stopping = true;
    const peaks = Object.fromEntries(running.map(({ name, child }) => [name, Math.round(memoryMbOf(child.pid!, "VmHWM") ?? 0)]));
    for (const { child } of running) child.kill("SIGTERM");
    await Promise.all(running.map(({ exited }) => exited));
    if (!keepDatabases) await dropDatabases(mysql, databases);
    return peaks;
  };

  try {
    const goals = adopt(
      "goals",
      await spawnService("goals", { ...serviceEnv, ...security?.goals, GOALS_DB: goalsDatabase, GOALS_LISTEN: "127.0.0.1:0" }),
    );
    const targets: LoadTargets = {
      goals: `127.0.0.1:${goals.port}`,
      mysql,
      goalsDatabase,
      clientCertificates: security?.clients,
    };
    if (withMeals) {
      const meals = adopt(
        "meals",
        await spawnService("meals", {
          ...serviceEnv,
          ...security?.meals,
          MEALS_DB: mealsDatabase,
          MEALS_LISTEN: "127.0.0.1:0",
          // The name its certificate is for.
          GOALS_TARGET: security ? `localhost:${goals.port}` : targets.goals!,
        }),
      );
      Object.assign(targets, { meals: `127.0.0.1:${meals.port}`, mealsDatabase });
    }
    const echo = await startEchoServer({ ...serviceEnv, BENCH_GOALS_DB: goalsDatabase });
    track("echo", echo.child, new Promise((resolve) => echo.child.once("exit", resolve)));
    targets.echo = `127.0.0.1:${echo.port}`;
    return {
      targets,
      pids: Object.fromEntries(running.map(({ name, child }) => [name, child.pid!])),
      services: withMeals ? ["goals", "meals"] : ["goals"],
      serviceErrorLogs: () => errorLogs,
      errorLogSamples,
      assertRunning: () => {
        if (unexpectedExits.length > 0) throw new Error(unexpectedExits.join("; "));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
