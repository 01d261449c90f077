/** Runs one statement and resolves with its rows. */
export type RowReader = (statement: string) => Promise<{ Variable_name: string; Value: string }[]>;

/** What a server says about its place in a Galera cluster. */
export interface NodeState {
  /** wsrep_on: false for a plain MariaDB or MySQL server, which is always fit to serve. */
  galera: boolean;
  /** wsrep_ready: false while the node is outside the primary component (it refuses queries with error 1047). */
  ready: boolean;
  /** wsrep_local_state_comment: Synced, Joining, Joined, Donor/Desynced, ... */
  localState: string;
}

export async function readNodeState(read: RowReader): Promise<NodeState> {
  // MySQL has no wsrep_on at all: no row, not a Galera node.
  const [wsrepOn] = await read("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
  if (wsrepOn?.Value !== "ON") return { galera: false, ready: true, localState: "" };
  return { galera: true, ...(await readWsrepReadiness(read)) };
}

export async function readWsrepReadiness(read: RowReader): Promise<Omit<NodeState, "galera">> {
  const rows = await read("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment')");
  const value = new Map(rows.map((row) => [row.Variable_name.toLowerCase(), row.Value]));
  return { ready: value.get("wsrep_ready") === "ON", localState: value.get("wsrep_local_state_comment") ?? "" };
}

/**
 * Only a Synced node in the primary component serves: a Joiner or Joined node
 * is still catching up, a Donor may be blocked by the state transfer it feeds.
 */
export function unfitToServe(state: Omit<NodeState, "galera"> & { galera?: boolean }): string | undefined {
  if (state.galera === false) return undefined;
  if (!state.ready) return "wsrep_ready is OFF (not in the primary component)";
  if (state.localState !== "Synced") return `wsrep_local_state_comment is ${state.localState || "unknown"}, not Synced`;
  return undefined;
}
