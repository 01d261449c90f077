import { tmpdir } from "node:os";
import { join } from "node:path";

export const DEFAULT_BASE_PORT = 24100;

export const CLUSTER_HELP = `Usage: node dist/tools/cluster/main.js <command> [options]

Runs a MariaDB Galera cluster on loopback from the Debian packages (galera-4,
rsync, mariadb-server), one mariadbd per node, for tests, verify and the bench.
Run as root (the nodes run as mysql). The nodes keep running after start
returns; stop shuts them down.

Commands:
  start        initialise fresh nodes in --dir, bootstrap node 1, join the others one by one
  status       wsrep state of each node (local state, ready, cluster size and status)
  kill N       SIGKILL node N (kill -9): no shutdown, the others notice within seconds
  restart N    start node N again after kill or stop; it rejoins by IST when a donor's gcache allows
  stop         shut every node down cleanly and remove --dir

Options:
  --dir=PATH       the cluster's files (default: <tmpdir>/mealplan-galera-<base port>); start needs it absent or empty
  --base-port=N    node n listens on N + 10(n-1) for SQL, Galera group, IST and SST on the next three
                   (default ${DEFAULT_BASE_PORT}); the other commands read it from --dir when only --dir is given
  --nodes=N        start: how many nodes (default 3)
  --keep-data      stop: leave --dir in place
  --help           this text
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type ClusterCommand =
  | { help: true }
  | { help: false; action: "start"; dir: string; basePort: number; nodes: number }
  | { help: false; action: "status" | "stop"; dir: string; basePort?: number; keepData: boolean }
  | { help: false; action: "kill" | "restart"; dir: string; basePort?: number; node: number };

const ACTIONS = ["start", "status", "kill", "restart", "stop"] as const;
const FLAGS = ["keep-data"];
const VALUED = ["dir", "base-port", "nodes"];

function parseInteger(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max)
    throw new UsageError(`${name}=${value}: give an integer from ${min} to ${max}`);
  return number;
}

export function parseClusterArgs(argv: string[]): ClusterCommand {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) return { help: true };
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) positional.push(arg);
    else if (FLAGS.includes(match[1]) && match[2] === undefined) options.set(match[1], "");
    else if (VALUED.includes(match[1]) && match[2] !== undefined) options.set(match[1], match[2]);
    else throw new UsageError(`unknown or malformed option ${arg}`);
  }
  const [action, nodeArgument, ...extra] = positional;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) throw new UsageError(`unknown command ${action ?? ""}`);
  const takesNode = action === "kill" || action === "restart";
  if (extra.length > 0 || (!takesNode && nodeArgument !== undefined))
    throw new UsageError(`unexpected ${positional.slice(1).join(" ")}`);
  const onlyFor = (option: string, command: string) => {
    if (options.has(option) && action !== command) throw new UsageError(`--${option} goes with ${command} only`);
  };
  onlyFor("nodes", "start");
  onlyFor("keep-data", "stop");

  const givenBasePort = options.has("base-port")
    ? parseInteger("--base-port", options.get("base-port")!, 1024, 65000)
    : undefined;
  const basePort = givenBasePort ?? DEFAULT_BASE_PORT;
  const dir = options.get("dir") ?? join(tmpdir(), `mealplan-galera-${basePort}`);
  if (action === "start") {
    const nodes = options.has("nodes") ? parseInteger("--nodes", options.get("nodes")!, 1, 9) : 3;
    return { help: false, action, dir, basePort, nodes };
  }
  if (takesNode) {
    if (nodeArgument === undefined) throw new UsageError(`${action} needs a node number`);
    return {
      help: false,
      action: action,
      dir,
      basePort: givenBasePort,
      node: parseInteger(action, nodeArgument, 1, 9),
    };
  }
  return { help: false, action: action as "status" | "stop", dir, basePort: givenBasePort, keepData: options.has("keep-data") };
}
