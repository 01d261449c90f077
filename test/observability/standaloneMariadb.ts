import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createConnection } from "mysql2/promise";
import { INSTALL_DB, MARIADBD } from "../../tools/cluster/galeraInstalled.js";
import { SERVER_USER } from "../../tools/cluster/nodeProcess.js";
import { freePort } from "../harness/freePort.js";

const run = promisify(execFile);

/** A MariaDB server of a test's own, which it may stop and start (never the shared one on 3306). */
export interface StandaloneMariadb {
  port: number;
  mysqlUrl: string;
  start(): Promise<void>;
  /** SIGTERM, and resolves once the process is gone. */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One mariadbd on a free loopback port with a datadir in a temporary directory, started. */
export async function startStandaloneMariadb(): Promise<StandaloneMariadb> {
  const dir = await mkdtemp(join(tmpdir(), "mealplan-mariadb-"));
  // mariadbd runs as mysql when started by root, and must reach its files through this directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const dataDir = join(dir, "data");
  const configFile = join(dir, "my.cnf");
  mkdirSync(dataDir);
  writeFileSync(
    configFile,
    `[mariadbd]
datadir=${dataDir}
socket=${join(dir, "mariadbd.sock")}
pid-file=${join(dir, "mariadbd.pid")}
log-error=${join(dir, "error.log")}
port=${port}
bind-address=127.0.0.1
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
skip-log-bin
`,
  );
  const user = SERVER_USER ? [`--user=${SERVER_USER}`] : [];
  if (SERVER_USER) await run("chown", ["-R", `${SERVER_USER}:`, dir]);
  await run(INSTALL_DB, [`--defaults-file=${configFile}`, ...user, "--auth-root-authentication-method=normal"]);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const process = spawn(MARIADBD, [`--defaults-file=${configFile}`, ...user], { stdio: "ignore" });
    child = process;
    exited = new Promise((resolve) => process.once("exit", () => resolve()));
    for (const until = Date.now() + 30000; ;) {
      try {
        await (await createConnection({ host: "127.0.0.1", port, user: "root", connectTimeout: 1000 })).end();
        return;
      } catch (error) {
        if (Date.now() > until || process.exitCode !== null)
          throw new Error(`mariadbd did not start on ${port}: ${String(error)}`);
        await sleep(200);
      }
    }
  };
  const stop = async () => {
    child?.kill("SIGTERM");
    await exited;
    child = undefined;
  };
  await start();
  return {
    port,
    mysqlUrl: `mysql://root@127.0.0.1:${port}`,
    start,
    stop,
    remove: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
