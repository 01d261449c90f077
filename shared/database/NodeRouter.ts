import { createPool, type Pool, type PoolConnection } from "mysql2";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import { DomainError } from "../errors/DomainError.js";
import { describeDriverError } from "./databaseErrors.js";

/** One server of MYSQL_URL. */
interface DatabaseNode {
  host: string;
  port: number;
}

/** The servers MYSQL_URL names, in the order a service should use them, and the credentials for all of them. */
export interface MysqlNodes {
  nodes: DatabaseNode[];
  user: string;
  password: string;
}

export interface NodeRouterOptions {
  servers: MysqlNodes;
  database: string;
  poolSize: number;
  poolQueueLimit: number;
  /** What every new connection runs before its first use; `galera` tells whether the node runs Galera. */
  sessionStatements(galera: boolean): string[];
  /** How often a replica serving from a later node asks whether an earlier one is fit again. */
  failbackIntervalMs?: number;
}

/** The node a service's statements go to now. */
export interface ActiveNode {
  /** Position in MYSQL_URL's list, from 0. */
  index: number;
  /** host:port, for logs. */
  address: string;
  /** "node 2 of 3": what an error message may say without naming hosts. */
  label: string;
  galera: boolean;
  pool: Pool;
}

/** Told whenever the service starts using another node, or stops using one. */
export interface NodeChange {
  from?: string;
  to?: string;
  reason: string;
}

/** Short: a node that does not answer at once is passed over for the next one. */
const PROBE_CONNECT_TIMEOUT_MS = 2000;
const DEFAULT_FAILBACK_INTERVAL_MS = 2000;
/** A node that failed this recently is tried after the others. */
const RECENT_FAILURE_MS = 3000;
const RETIRE_POLL_MS = 200;

/** mysql2 keeps these on the pool without a public accessor. */
interface PoolInternals {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

export function poolInternals(pool: Pool): PoolInternals {
  return pool as unknown as PoolInternals;
}

const readerOf =
  (query: (statement: string) => Promise<unknown>): RowReader =>
  async (statement) =>
    (await query(statement)) as { Variable_name: string; Value: string }[];

/**
 * The connection settings that shape what a row reads back as (UTC times,
 * BIGINT versions as strings): the services' pools, and the bench's own
 * connections that must read rows as the services do.
 */
export const ROW_FORMAT = {
  charset: "utf8mb4_unicode_ci",
  timezone: "Z",
  supportBigNumbers: true,
  bigNumberStrings: true,
} as const;

/**
 * Sends all of a service replica's statements to one database node at a time:
 * the first node of its list that is fit to serve (a plain server, or a Galera
 * node that is Synced and in the primary component). When that node fails, or
 * says it is no longer ready (error 1047), the router drops it and the next
 * statement goes to the next fit node in the list; while it serves from a later
 * node it asks every few seconds whether an earlier one is fit again, and moves
 * back once it is. Every new connection is checked the same way before use.
 *
 * One node at a time per replica, so the replica's own transactions never meet
 * each other in Galera's certification: they queue for row locks on that node
 * as on a single server (docs/concurrency.md).
 */
export class NodeRouter {
  onNodeChange: (change: NodeChange) => void = () => {};
  private current?: ActiveNode;
  private admitting?: Promise<ActiveNode>;
  private readonly failedAt = new Map<number, number>();
  private readonly prepared = new WeakSet<PoolConnection>();
  private readonly retiring = new Map<Pool, NodeJS.Timeout>();
  private readonly failbackTimer: NodeJS.Timeout | undefined;
  private failingBack = false;
  private closed = false;

  constructor(private readonly options: NodeRouterOptions) {
    if (options.servers.nodes.length > 1) {
      this.failbackTimer = setInterval(() => void this.failBack(), options.failbackIntervalMs ?? DEFAULT_FAILBACK_INTERVAL_MS);
      this.failbackTimer.unref();
    }
  }

  /** The node to use now; admits the first fit one when there is none. */
  active(): Promise<ActiveNode> {
    if (this.closed) return Promise.reject(new Error("the database is closed"));
    if (this.current) return Promise.resolve(this.current);
    this.admitting ??= this.admitFirstFit().finally(() => (this.admitting = undefined));
    return this.admitting;
  }

  /** The node the router uses now, if any, without admitting one. */
  get activeNode(): ActiveNode | undefined {
    return this.current;
  }

  /** Readies a connection of `node` on its first use: checks the node is still fit, then sets the session up. */
  async prepare(node: ActiveNode, connection: PoolConnection): Promise<void> {
    if (this.prepared.has(connection)) return;
    const run = (statement: string) =>
      new Promise<unknown>((resolve, reject) =>
        connection.query(statement, (error, result) => (error ? reject(error) : resolve(result))),
      );
    if (node.galera) {
      const unfit = unfitToServe({ galera: true, ...(await readNodeReadiness(readerOf(run))) });
      if (unfit) throw this.failed(node, new Error(unfit), "not committed");
    }
    for (const statement of this.options.sessionStatements(node.galera)) await run(statement);
    this.prepared.add(connection);
  }

  /**
   * The node failed under a statement (or was found unfit): it gets no more
   * statements, and the next call admits the next fit node. Returns the error
   * to give the caller.
   */
  failed(node: ActiveNode, error: unknown, outcome: CommitOutcome): NodeFailedError {
    const problem = describeDriverError(error);
    this.failedAt.set(node.index, Date.now());
    if (this.current === node) {
      this.current = undefined;
      this.retire(node.pool);
      this.onNodeChange({ from: node.address, reason: problem });
    }
    return new NodeFailedError(node.label, outcome, problem);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.failbackTimer);
    for (const timer of this.retiring.values()) clearInterval(timer);
    const pools = [...this.retiring.keys(), ...(this.current ? [this.current.pool] : [])];
    this.current = undefined;
    this.retiring.clear();
    await Promise.all(pools.map((pool) => new Promise<void>((resolve) => pool.end(() => resolve()))));
  }

  private async admitFirstFit(): Promise<ActiveNode> {
    const { nodes } = this.options.servers;
    const recent = (index: number) => Date.now() - (this.failedAt.get(index) ?? -Infinity) < RECENT_FAILURE_MS;
    // A node that just failed goes last: a killed node refuses at once, but one that hangs costs the connect timeout.
    const order = nodes.map((_, index) => index).sort((a, b) => Number(recent(a)) - Number(recent(b)) || a - b);
    const problems: string[] = [];
    for (const index of order) {
      try {
        const fit = await this.probe(index);
        if (this.closed) break;
        return this.use(fit, "admitted");
      } catch (error) {
        if (this.closed) throw error;
        this.failedAt.set(index, Date.now());
        problems.push(`node ${index + 1} of MYSQL_URL: ${describeDriverError(error)}`);
      }
    }
    throw new DomainError("UNAVAILABLE", `no database node is fit to serve (${problems.join("; ")}); retry later`, {
      reason: "DATABASE_UNAVAILABLE",
    });
  }

  /** Connects to node `index` on its own and asks whether it may serve; throws why not. */
  private async probe(index: number): Promise<{ index: number; galera: boolean }> {
    const { nodes, user, password } = this.options.servers;
    const connection = await createConnection({ ...nodes[index], user, password, connectTimeout: PROBE_CONNECT_TIMEOUT_MS });
    try {
      const state = await readNodeState(readerOf(async (statement) => (await connection.query<RowDataPacket[]>(statement))[0]));
      const unfit = unfitToServe(state);
      if (unfit) throw new Error(unfit);
      return { index, galera: state.galera };
    } finally {
      connection.destroy();
    }
  }

  private use({ index, galera }: { index: number; galera: boolean }, reason: string): ActiveNode {
    const { servers, database, poolSize, poolQueueLimit } = this.options;
    const { host, port } = servers.nodes[index];
    const pool = createPool({
      host,
      port,
      user: servers.user,
      password: servers.password,
      database,
      connectionLimit: poolSize,
      queueLimit: poolQueueLimit,
      ...ROW_FORMAT,
      stringifyObjects: true,
      enableKeepAlive: true,
      connectTimeout: PROBE_CONNECT_TIMEOUT_MS,
      // A transaction's independent statements share one round trip (Transaction.send), except on
      // Galera (see Database); Database refuses any statement text holding a ';', so input can
      // never stack a statement of its own.
      multipleStatements: !galera,
    });
    const node: ActiveNode = {
      index,
      address: `${host}:${port}`,
      label: `node ${index + 1} of ${servers.nodes.length}`,
      galera,
      pool,
    };
    const previous = this.current;
    this.current = node;
    if (previous) this.retire(previous.pool);
    this.onNodeChange({ from: previous?.address, to: node.address, reason });
    return node;
  }

  /** Moves back to an earlier node of the list once it is fit again. */
  private async failBack(): Promise<void> {
    const current = this.current;
    if (this.failingBack || this.closed || !current || current.index === 0) return;
    this.failingBack = true;
    try {
      for (let index = 0; index < current.index; index++) {
        try {
          const fit = await this.probe(index);
          if (this.closed || this.current !== current) return;
          const { host, port } = this.options.servers.nodes[index];
          this.use(fit, `${host}:${port} is Synced again and comes before ${current.address} in the list`);
          return;
        } catch {
          // Not fit yet: ask again at the next interval.
        }
      }
    } finally {
      this.failingBack = false;
    }
  }

  /** Ends a pool once the transactions still running on it are done: a COMMIT in flight is never cut off. */
  private retire(pool: Pool): void {
    const timer = setInterval(() => {
      const internals = poolInternals(pool);
      if (internals._allConnections.length > internals._freeConnections.length) return;
      clearInterval(timer);
      this.retiring.delete(pool);
      pool.end(() => undefined);
    }, RETIRE_POLL_MS);
    timer.unref();
    this.retiring.set(pool, timer);
  }
}

/** Whether the work a failed node was doing may have committed. */
export type CommitOutcome = "not committed" | "unknown";

/**
 * The database node a statement ran on failed under it (NodeRouter has moved
 * on to the next node). Work that never reached COMMIT did not happen, and
 * runTransaction runs it again on the next node; a failure during COMMIT
 * leaves the outcome unknown, and the caller is told so.
 */
export class NodeFailedError extends DomainError {
  constructor(
    readonly node: string,
    readonly outcome: CommitOutcome,
    problem: string,
  ) {
    super(
      "UNAVAILABLE",
      outcome === "unknown"
        ? `the database node failed during COMMIT (${problem}): the change may or may not have been made; read it back before retrying`
        : `the database node failed (${problem}); the service has moved to another node: retry the request`,
      { reason: outcome === "unknown" ? "COMMIT_OUTCOME_UNKNOWN" : "DATABASE_NODE_FAILED", metadata: { node } },
    );
    this.name = "NodeFailedError";
  }
}

/** Runs one SHOW statement and resolves with its rows. */
type RowReader = (statement: string) => Promise<{ Variable_name: string; Value: string }[]>;

/** Whether a Galera node may take a service's statements now. */
interface NodeReadiness {
  /** wsrep_ready: false while the node is outside the primary component (it refuses queries with error 1047). */
  ready: boolean;
  /** wsrep_local_state_comment: Synced, Joining, Joined, Donor/Desynced, ... */
  localState: string;
  /** wsrep_reject_queries: NONE, or ALL/ALL_KILL while an operator drains the node (queries then get error 1047). */
  rejectQueries: string;
}

/** What a server says about its place in a Galera cluster; galera false for a plain MariaDB or MySQL server. */
type NodeState = ({ galera: true } & NodeReadiness) | { galera: false };

const valuesOf = (rows: { Variable_name: string; Value: string }[]) =>
  new Map(rows.map((row) => [row.Variable_name.toLowerCase(), row.Value]));

async function readNodeState(read: RowReader): Promise<NodeState> {
  // MySQL has no wsrep_on at all: no row, not a Galera node.
  const [wsrepOn] = await read("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
  if (wsrepOn?.Value !== "ON") return { galera: false };
  return { galera: true, ...(await readNodeReadiness(read)) };
}

async function readNodeReadiness(read: RowReader): Promise<NodeReadiness> {
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
function unfitToServe(state: NodeState): string | undefined {
  if (!state.galera) return undefined;
  if (!state.ready) return "wsrep_ready is OFF (not in the primary component)";
  if (state.localState !== "Synced") return `wsrep_local_state_comment is ${state.localState || "unknown"}, not Synced`;
  if (state.rejectQueries !== "NONE") return `wsrep_reject_queries is ${state.rejectQueries}`;
  return undefined;
}
