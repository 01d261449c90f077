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
}

export const DEFAULT_SETTINGS: Omit<VerifySettings, "seed"> = {
  durationMs: 20_000,
  clients: 24,
  customers: 8,
  hotCustomers: 2,
  callDeadlineMs: 5_000,
};
