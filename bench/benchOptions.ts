export interface BenchOptions {
  /** Measured seconds per measurement. */
  durationS: number;
  /** Seconds of calls before each measurement that are not counted (JIT, connection set-up). */
  warmupS: number;
  /** Calls in flight per measurement, over all client processes. */
  concurrency: number;
  /** Load client processes per measurement. */
  clients: number;
  /** Meals in the catalog the workloads run against. */
  catalogMeals: number;
  /** Also measure RecommendMeals at 1M meals (minutes of seeding). */
  withMillion: boolean;
  /** Also measure RecommendMeals at 10M meals (a few GB of disk; the databases are dropped after the run). */
  withTenMillion: boolean;
  /** Workload names to run; all when undefined. */
  workloads: string[] | undefined;
  /** File name (without extension) under bench/results/. */
  output: string;
  /** Directory for the services' --cpu-prof profiles; none when undefined. */
  cpuProfileDir: string | undefined;
  keepDatabases: boolean;
  /** Measure the echo server, the GetGoal floor and raw SQL beside each workload (off with --no-ceilings, for quick A/B runs). */
  ceilings: boolean;
  callTimeoutMs: number;
  /** Run the services with mTLS, the example access policy and metrics on (the load clients present a certificate). */
  secure: boolean;
  /** Run the services on a 3-node Galera cluster of the bench's own (tools/cluster) instead of MYSQL_URL. */
  cluster: boolean;
  /** innodb_buffer_pool_size (MB) of the server at MYSQL_URL for the run, restored after; the server's own when undefined. */
  bufferPoolMb: number | undefined;
}

export const BENCH_HELP = `Usage: npm run bench -- [options]   (node dist/bench/main.js)

Starts the goals and meals services and a grpc-js echo server as separate
processes on throwaway databases, seeds a catalog, and measures each workload
from separate load client processes beside its ceilings: the echo server (the
transport) and raw mysql2 doing the same transactions (the database); GetGoal
also beside its floor, the echo server reading the goal with one mysql2 query
and nothing else. Writes bench/results/<output>.json and .md. MYSQL_URL names
the server (default mysql://root@127.0.0.1:3306); other service settings are
passed through from the environment. DB_POOL_SIZE defaults to --concurrency,
the connections the raw-SQL ceiling opens (one per loop), so both get the same.

Options:
  --duration <s>       measured seconds per measurement (default 8)
  --warmup <s>         uncounted seconds before each measurement (default 5: the services' JIT settles in 3-5 s)
  --concurrency <n>    calls in flight, over all client processes (default 32)
  --clients <n>        load client processes per measurement (default 2)
  --catalog <meals>    meals in the catalog, 20 per customer (default 10000)
  --with-1m            also measure RecommendMeals at 1,000,000 meals
  --with-10m           also measure RecommendMeals at 10,000,000 meals (about 3 GB of disk while it runs)
  --workloads <list>   comma-separated subset of: WORKLOAD_NAMES
  --output <name>      results file name under bench/results (default latest)
  --cpu-prof <dir>     run the services with node --cpu-prof, profiles into <dir>
  --no-ceilings        measure the services only (quick comparisons, profiling)
  --secure             serve mTLS with deploy/policy.example.yaml and METRICS_LISTEN on (certificates from
                       deploy/make-dev-certs.sh); load clients call as admin
  --keep-databases     do not drop the throwaway databases at the end
  --cluster            start a 3-node MariaDB Galera cluster (tools/cluster, SQL ports 24400, 24410,
                       24420) and run the services on it, every node listed, node 1 first
  --buffer-pool-mb <n> set the MYSQL_URL server's innodb_buffer_pool_size to n MB for the run and restore it
                       after (it is resized online); the report names the size it ran with
  --help               this text
`;

const DEFAULTS: BenchOptions = {
  durationS: 8,
  warmupS: 5,
  concurrency: 32,
  clients: 2,
  catalogMeals: 10000,
  withMillion: false,
  withTenMillion: false,
  workloads: undefined,
  output: "latest",
  cpuProfileDir: undefined,
  keepDatabases: false,
  ceilings: true,
  callTimeoutMs: 10000,
  secure: false,
  cluster: false,
  bufferPoolMb: undefined,
};

export class UsageError extends Error {}

function positive(flag: string, raw: string | undefined, integer: boolean): number {
  const value = Number(raw);
  if (raw === undefined || !(value > 0) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} needs a positive ${integer ? "integer" : "number"}, got ${raw ?? "nothing"}`);
  }
  return value;
}

function text(flag: string, raw: string | undefined): string {
  if (raw === undefined || raw.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  return raw;
}

export function parseBenchOptions(argv: string[], workloadNames: string[]): BenchOptions {
  const options = { ...DEFAULTS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const next = () => argv[++index];
    switch (flag) {
      case "--duration":
        options.durationS = positive(flag, next(), false);
        break;
      case "--warmup":
        options.warmupS = positive(flag, next(), false);
        break;
      case "--concurrency":
        options.concurrency = positive(flag, next(), true);
        break;
      case "--clients":
        options.clients = positive(flag, next(), true);
        break;
      case "--catalog":
        options.catalogMeals = positive(flag, next(), true);
        break;
      case "--with-1m":
        options.withMillion = true;
        break;
      case "--with-10m":
        options.withTenMillion = true;
        break;
      case "--workloads": {
        const names = text(flag, next()).split(",");
        const unknown = names.filter((name) => !workloadNames.includes(name));
        if (unknown.length > 0)
          throw new UsageError(`unknown workload(s) ${unknown.join(", ")}; known: ${workloadNames.join(", ")}`);
        options.workloads = names;
        break;
      }
      case "--output":
        options.output = text(flag, next());
        if (!/^[A-Za-z0-9._-]+$/.test(options.output)) throw new UsageError("--output must be a plain file name");
        break;
      case "--cpu-prof":
        options.cpuProfileDir = text(flag, next());
        break;
      case "--keep-databases":
        options.keepDatabases = true;
        break;
      case "--no-ceilings":
        options.ceilings = false;
        break;
      case "--secure":
        options.secure = true;
        break;
      case "--cluster":
        options.cluster = true;
        break;
      case "--buffer-pool-mb":
        options.bufferPoolMb = positive(flag, next(), true);
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (options.concurrency < options.clients) throw new UsageError("--concurrency must be at least --clients");
  if (options.cluster && options.bufferPoolMb !== undefined)
    throw new UsageError("--buffer-pool-mb sets the server at MYSQL_URL; it does not apply with --cluster");
  return options;
}
