/** What a verification run does; main.ts reads these from the command line. */
export interface VerifySettings {
  durationMs: number;
  /** Concurrent workload clients, each one call at a time. */
  clients: number;
  customers: number;
  /** The first few customers get half of all calls, so their calls collide. */
  hotCustomers: number;
  /** Seeds every random choice of the workload; the interleaving is up to the machine. */
  seed: number;
  /** Deadline of every call. */
  callDeadlineMs: number;
  /** Replica addresses (host:port) of a running deployment; when absent the run starts its own. */
  goalsAddresses?: string[];
  mealsAddresses?: string[];
  /** Run on a 3-node Galera cluster of its own instead of the server at MYSQL_URL (--cluster). */
  cluster?: ClusterSettings;
}

export interface ClusterSettings {
  /** Node n of the run's cluster listens from basePort + 10(n - 1) (tools/cluster). */
  basePort: number;
  /** DB_GALERA_SYNC_WAIT of every replica: 7, causal reads and writes; 0 only for the control that shows stale reads. */
  galeraSyncWait: number;
  /** Kill a database node and one replica of each service mid-run, and bring them back (--faults). */
  faults: boolean;
}

/** Far from the cluster CLI's default (24100), test/cluster (24200, 24500) and the bench (24400). */
export const DEFAULT_CLUSTER_BASE_PORT = 24300;

export const DEFAULT_SETTINGS: Omit<VerifySettings, "seed"> = {
  durationMs: 20_000,
  clients: 24,
  customers: 8,
  hotCustomers: 2,
  callDeadlineMs: 5_000,
};
