import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { MARIADBD } from "./galeraInstalled.js";
import type { NodeLayout } from "./nodeLayout.js";
import { SERVER_USER } from "./nodeProcess.js";

const run = promisify(execFile);

/** grastate.dat keeps `seqno: -1` while the node runs; a clean shutdown writes the real one, kill -9 does not. */
function crashedSinceLastStart(node: NodeLayout): boolean {
  const stateFile = join(node.dataDir, "grastate.dat");
  return existsSync(stateFile) && /^seqno:\s+-1\s*$/m.test(readFileSync(stateFile, "utf8"));
}

/**
 * What systemd's galera_recovery does before it starts a crashed node: ask
 * InnoDB which writeset was committed last (mariadbd --wsrep-recover) and pass
 * it as --wsrep-start-position. Without it a crashed node joins with an
 * unknown position and gets a full SST instead of an IST.
 */
export async function recoverStartPosition(node: NodeLayout): Promise<string[]> {
  if (!crashedSinceLastStart(node)) return [];
  const user = SERVER_USER ? [`--user=${SERVER_USER}`] : [];
  const { stderr } = await run(MARIADBD, [
    `--defaults-file=${node.configFile}`,
    ...user,
    "--wsrep-recover",
    "--disable-log-error",
  ]);
  const position = /WSREP: Recovered position:\s*(\S+)/.exec(stderr)?.[1];
  if (!position) throw new Error(`node ${node.number}: mariadbd --wsrep-recover found no position:\n${stderr.slice(-2000)}`);
  return [`--wsrep-start-position=${position}`];
}
