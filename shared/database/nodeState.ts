/** Runs one SHOW statement and resolves with its rows. */
export type RowReader = (statement: string) => Promise<{ Variable_name: string; Value: string }[]>;

/** Whether a Galera node may take a service's statements now. */
export interface NodeReadiness {
  /** wsrep_ready: false while the node is outside the primary component (it refuses queries with error 1047). */
  ready: boolean;
  /** wsrep_local_state_comment: Synced, Joining, Joined, Donor/Desynced, ... */
  localState: string;
  /** wsrep_reject_queries: NONE, or ALL/ALL_KILL while an operator drains the node (queries then get error 1047). */
  rejectQueries: string;
}

/** What a server says about its place in a Galera cluster; galera false for a plain MariaDB or MySQL server. */
export type NodeState = ({ galera: true } & NodeReadiness) | { galera: false };

const valuesOf = (rows: { Variable_name: string; Value: string }[]) =>
  new Map(rows.map((row) => [row.Variable_name.toLowerCase(), row.Value]));

export async function readNodeState(read: RowReader): Promise<NodeState> {
  // MySQL has no wsrep_on at all: no row, not a Galera node.
  const [wsrepOn] = await read("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
  if (wsrepOn?.Value !== "ON") return { galera: false };
  return { galera: true, ...(await readNodeReadiness(read)) };
}

export async function readNodeReadiness(read: RowReader): Promise<NodeReadiness> {
  const [status, variables] = await Promise.all([
    read("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment')"),
    read("SHOW GLOBAL VARIABLES WHERE Variable_name = 'wsrep_reject_queries'"),
  ]).then(([statusRows, variableRows]) => [valuesOf(statusRows), valuesOf(variableRows)]);
  return {
    ready: status.get("wsrep_ready") === "ON",
    localState: status.get("wsrep_local_state_comment") ?? "",
    rejectQueries: variables.get("wsrep_reject_queries") ?? "NONE",
  };
}

/**
 * Why a node may not serve, or undefined when it may. Only a Synced node in
 * the primary component serves: a Joiner or Joined node is still catching up,
 * a Donor may be blocked by the state transfer it feeds, and a node told to
 * reject queries is being drained.
 */
export function unfitToServe(state: NodeState): string | undefined {
  if (!state.galera) return undefined;
  if (!state.ready) return "wsrep_ready is OFF (not in the primary component)";
  if (state.localState !== "Synced") return `wsrep_local_state_comment is ${state.localState || "unknown"}, not Synced`;
  if (state.rejectQueries !== "NONE") return `wsrep_reject_queries is ${state.rejectQueries}`;
  return undefined;
}
