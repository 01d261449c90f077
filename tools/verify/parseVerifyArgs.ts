import { CAUSAL_STATEMENTS } from "../../shared/config/readCommonSettings.js";
import { DEFAULT_CLUSTER_BASE_PORT, DEFAULT_SETTINGS, type ClusterSettings, type VerifySettings } from "./VerifySettings.js";

export const VERIFY_HELP = `Usage: npm run verify -- [options]   (node dist/tools/verify/main.js)

Runs a randomized workload of many concurrent clients against two replicas of
each service, records every call, then checks the history against the
guarantees of the contract (see docs/verify.md). Prints one row per check and
the first violating calls; exits 1 on any violation, 2 if it could not run.

Without --goals/--meals it starts two goals and two meals processes
(dist/services/*/main.js) over throwaway databases at MYSQL_URL and drops them
afterwards. With them, it runs against that deployment, on new customers.

Options:
  --duration=SECONDS     how long the workload runs; 90, 90s, 5m or 1h (default ${DEFAULT_SETTINGS.durationMs / 1000})
  --clients=N            concurrent clients, one call at a time each (default ${DEFAULT_SETTINGS.clients})
  --customers=N          customers the workload uses (default ${DEFAULT_SETTINGS.customers})
  --hot-customers=N      of those, how many get half of all calls (default ${DEFAULT_SETTINGS.hotCustomers})
  --seed=N               seed of every random choice, to repeat a run (default: random, printed)
  --deadline-ms=N        deadline of each call (default ${DEFAULT_SETTINGS.callDeadlineMs})
  --goals=HOST:PORT,...  goals replicas of a running deployment (needs --meals)
  --meals=HOST:PORT,...  meals replicas of a running deployment (needs --goals)
  --save-history=FILE    also write the recorded history as JSON
  --cluster              start a 3-node MariaDB Galera cluster of its own (tools/cluster) and run the
                         replicas on it: goals A on node 1, goals B and meals A on node 2, meals B on
                         node 3, each given all three nodes with its own first (docs/scaling.md)
  --cluster-base-port=N  node n of that cluster listens from N + 10(n-1) (default ${DEFAULT_CLUSTER_BASE_PORT})
  --galera-sync-wait=N   DB_GALERA_SYNC_WAIT of the replicas (default 7); 0 is the control that lets
                         reads on one node miss writes acknowledged through another
  --faults               with --cluster: kill -9 node 2 a quarter into the run and restart it, then
                         kill -9 one replica of each service and restart it; reports how soon calls
                         succeeded again
  --help                 this text
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type VerifyCommand = { help: true } | { help: false; settings: VerifySettings; saveHistoryTo?: string };

const OPTIONS = [
  "duration",
  "clients",
  "customers",
  "hot-customers",
  "seed",
  "deadline-ms",
  "goals",
  "meals",
  "save-history",
  "cluster",
  "cluster-base-port",
  "galera-sync-wait",
  "faults",
] as const;
type OptionName = (typeof OPTIONS)[number];
/** Options that take no value. */
const FLAGS: readonly OptionName[] = ["cluster", "faults"];

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h)?$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

function parseDuration(value: string): number {
  const match = DURATION.exec(value);
  if (!match || Number(match[1]) <= 0) throw new UsageError(`--duration=${value}: give seconds, or a number with s, m or h`);
  return Number(match[1]) * UNIT_MS[(match[2] ?? "s") as keyof typeof UNIT_MS];
}

function parseCount(name: OptionName, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min)
    throw new UsageError(`--${name}=${value}: must be an integer of at least ${min}`);
  return number;
}

function parseAddresses(name: OptionName, value: string): string[] {
  const addresses = value.split(",").filter((address) => address !== "");
  const bad = addresses.find((address) => !HOST_PORT.test(address));
  if (addresses.length === 0 || bad !== undefined) throw new UsageError(`--${name}=${value}: must be host:port[,host:port...]`);
  return addresses;
}

/** --name=value or --name value. */
function readOptions(argv: string[]): Map<OptionName, string> {
  const options = new Map<OptionName, string>();
  for (let index = 0; index < argv.length; index++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[index]);
    const name = match?.[1] as OptionName | undefined;
    if (!match || !name || !OPTIONS.includes(name)) throw new UsageError(`unknown argument ${argv[index]}`);
    if (FLAGS.includes(name)) {
      if (match[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      options.set(name, "");
      continue;
    }
    const value = match[2] ?? argv[++index];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options.set(name, value);
  }
  return options;
}

export function parseVerifyArgs(
  argv: string[],
  randomSeed: () => number = () => Math.floor(Math.random() * 2 ** 31),
): VerifyCommand {
  if (argv.includes("--help") || argv.includes("-h")) return { help: true };
  const options = readOptions(argv);
  const value = <T>(name: OptionName, parse: (raw: string) => T, fallback: T): T => {
    const raw = options.get(name);
    return raw === undefined ? fallback : parse(raw);
  };
  const settings: VerifySettings = {
    durationMs: value("duration", parseDuration, DEFAULT_SETTINGS.durationMs),
    clients: value("clients", (raw) => parseCount("clients", raw, 1), DEFAULT_SETTINGS.clients),
    customers: value("customers", (raw) => parseCount("customers", raw, 1), DEFAULT_SETTINGS.customers),
    hotCustomers: value("hot-customers", (raw) => parseCount("hot-customers", raw, 0), DEFAULT_SETTINGS.hotCustomers),
    seed: value("seed", (raw) => parseCount("seed", raw, 0), randomSeed()),
    callDeadlineMs: value("deadline-ms", (raw) => parseCount("deadline-ms", raw, 1), DEFAULT_SETTINGS.callDeadlineMs),
    goalsAddresses: value("goals", (raw) => parseAddresses("goals", raw), undefined),
    mealsAddresses: value("meals", (raw) => parseAddresses("meals", raw), undefined),
  };
  if (settings.hotCustomers > settings.customers) {
    throw new UsageError(`--hot-customers=${settings.hotCustomers} is more than --customers=${settings.customers}`);
  }
  if ((settings.goalsAddresses === undefined) !== (settings.mealsAddresses === undefined)) {
    throw new UsageError("--goals and --meals go together: name both services of the deployment, or neither");
  }
  const cluster = readClusterSettings(options);
  if (cluster && settings.goalsAddresses)
    throw new UsageError("--cluster starts its own deployment: leave out --goals and --meals");
  return { help: false, settings: cluster ? { ...settings, cluster } : settings, saveHistoryTo: options.get("save-history") };
}

function readClusterSettings(options: Map<OptionName, string>): ClusterSettings | undefined {
  if (!options.has("cluster")) {
    const needsCluster = (["cluster-base-port", "galera-sync-wait", "faults"] as const).find((name) => options.has(name));
    if (needsCluster) throw new UsageError(`--${needsCluster} goes with --cluster`);
    return undefined;
  }
  const basePort = options.get("cluster-base-port");
  const syncWait = options.get("galera-sync-wait");
  const settings = {
    basePort: basePort === undefined ? DEFAULT_CLUSTER_BASE_PORT : parseCount("cluster-base-port", basePort, 1024),
    galeraSyncWait: syncWait === undefined ? CAUSAL_STATEMENTS : parseCount("galera-sync-wait", syncWait, 0),
    faults: options.has("faults"),
  };
  if (settings.basePort > 65535 - 40)
    throw new UsageError(`--cluster-base-port=${basePort}: leave room for 30 ports below 65536`);
  if (settings.galeraSyncWait > 15)
    throw new UsageError(`--galera-sync-wait=${syncWait}: wsrep_sync_wait is a bitmask from 0 to 15`);
  return settings;
}
