import { execFile, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { logSize, readLogFrom, tailOfLogs } from "./errorLog.js";
import { INSTALL_DB, requireGalera } from "./galeraInstalled.js";
import type { NodeAddress } from "./nodeConnection.js";
import { nodeConfig } from "./nodeConfig.js";
import { nodeLayout, type NodeLayout } from "./nodeLayout.js";
import { runningPid, SERVER_USER, spawnNode, waitUntilGone } from "./nodeProcess.js";
import { assertPortsFree } from "./portsFree.js";
import { recoverStartPosition } from "./recoverStartPosition.js";
import { readWsrepStatus, type WsrepStatus } from "./wsrepStatus.js";

export interface ClusterOptions {
  /** Where the nodes keep their files; must be absent or empty. Default: a new directory under os.tmpdir(). */
  dir?: string;
  /** Node n listens from basePort + 10 (n - 1): SQL, then Galera group, IST and SST ports (nodeLayout.ts). */
  basePort: number;
  nodes?: number;
  /** Nodes that must outlive this process (the CLI); otherwise they are killed if it exits without stop(). */
  detached?: boolean;
  /** How long each node may take to become Synced. */
  nodeStartTimeoutMs?: number;
}

/** How a restarted node caught up: IST replays the writesets it missed from a donor's gcache, SST copies a datadir. */
export type StateTransfer = "IST" | "SST" | "none";

export interface NodeStart {
  stateTransfer: StateTransfer;
  elapsedMs: number;
}

/** What `dir/cluster.json` records, so another process (the CLI) can find the cluster again. */
interface ClusterRecord {
  basePort: number;
  nodes: number;
}

const DEFAULT_NODES = 3;
const DEFAULT_NODE_START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 60_000;
const POLL_MS = 200;
const RECORD_FILE = "cluster.json";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The joiner's log says which it was: the rsync script logs "rsync SST completed on joiner" after copying a
 * datadir, and "rsync IST completed on joiner" when the donor bypassed the copy and Galera replayed the
 * missed writesets ("Receiving IST: N writesets").
 */
function stateTransferIn(joinerLog: string): StateTransfer {
  if (/\bSST completed on joiner/.test(joinerLog)) return "SST";
  if (/\bIST completed on joiner|Receiving IST: \d+ writesets/.test(joinerLog)) return "IST";
  return "none";
}

/**
 * A Galera cluster of mariadbd processes on loopback, for tests, verify and
 * the bench. Nodes are numbered from 1. Started by startCluster, found again
 * from its directory by openCluster.
 */
export class GaleraCluster {
  readonly addresses: NodeAddress[];
  private readonly layouts: NodeLayout[];
  private readonly children = new Map<number, ChildProcess>();
  private readonly killOnExit = () => this.killAllNow();

  constructor(
    readonly dir: string,
    readonly basePort: number,
    nodes: number,
    private readonly detached: boolean,
    private readonly nodeStartTimeoutMs = DEFAULT_NODE_START_TIMEOUT_MS,
  ) {
    this.layouts = Array.from({ length: nodes }, (_, index) => nodeLayout(dir, basePort, index + 1));
    this.addresses = this.layouts.map((layout) => ({ host: "127.0.0.1", port: layout.sqlPort }));
    if (!detached) process.on("exit", this.killOnExit);
  }

  address(node: number): NodeAddress {
    return this.addresses[this.layout(node).number - 1];
  }

  status(node: number): Promise<WsrepStatus> {
    return readWsrepStatus(this.address(node));
  }

  isRunning(node: number): boolean {
    return runningPid(this.layout(node), this.children.get(node)) !== undefined;
  }

  /** Until each of `nodes` (default: every running node) is Synced, ready and sees clusterSize members (default: that many). */
  async waitUntilSynced({ nodes, clusterSize, timeoutMs = this.nodeStartTimeoutMs }: WaitOptions = {}): Promise<void> {
    const waitFor = nodes ?? this.numbers().filter((node) => this.isRunning(node));
    const size = clusterSize ?? waitFor.length;
    await Promise.all(waitFor.map((node) => this.waitForNode(node, size, timeoutMs)));
  }

  /** kill -9: no shutdown, the cluster notices when the node stops answering. */
  async killNode(node: number): Promise<void> {
    const layout = this.layout(node);
    const pid = runningPid(layout, this.children.get(node));
    if (pid === undefined) throw new Error(`node ${node} is not running`);
    process.kill(pid, "SIGKILL");
    if (!(await waitUntilGone(layout, pid, STOP_TIMEOUT_MS))) throw new Error(`node ${node} (pid ${pid}) survived SIGKILL`);
  }

  /** Starts a stopped or killed node again; it rejoins through IST when a donor's gcache still holds what it missed. */
  async startNode(node: number): Promise<NodeStart> {
    const layout = this.layout(node);
    if (this.isRunning(node)) throw new Error(`node ${node} is already running`);
    const started = Date.now();
    const logOffset = logSize(layout.errorLog);
    const clusterSize = this.numbers().filter((number) => this.isRunning(number)).length + 1;
    const extraArgs = await recoverStartPosition(layout);
    this.children.set(node, spawnNode(layout, { detached: this.detached, extraArgs }));
    await this.waitForNode(node, clusterSize, this.nodeStartTimeoutMs);
    return { stateTransfer: stateTransferIn(readLogFrom(layout.errorLog, logOffset)), elapsedMs: Date.now() - started };
  }

  /** Shuts every node down cleanly (SIGTERM, SIGKILL after a minute) and removes the directory unless keepData. */
  async stop({ keepData = false }: { keepData?: boolean } = {}): Promise<void> {
    await Promise.all(
      this.layouts.map(async (layout) => {
        const pid = runningPid(layout, this.children.get(layout.number));
        if (pid === undefined) return;
        process.kill(pid, "SIGTERM");
        if (await waitUntilGone(layout, pid, STOP_TIMEOUT_MS)) return;
        process.kill(pid, "SIGKILL");
        await waitUntilGone(layout, pid, STOP_TIMEOUT_MS);
      }),
    );
    process.off("exit", this.killOnExit);
    if (!keepData) rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * startCluster's second half, once the directories are ready: initialises node 1's datadir, bootstraps the
   * cluster from it, then lets the others join one at a time (joining together, they would all ask node 1 for SST).
   */
  async bootstrap(): Promise<void> {
    const [first, ...joiners] = this.layouts;
    await installSystemTables(first);
    this.children.set(1, spawnNode(first, { detached: this.detached, extraArgs: ["--wsrep-new-cluster"] }));
    await this.waitForNode(1, 1, this.nodeStartTimeoutMs);
    for (const joiner of joiners) {
      this.children.set(joiner.number, spawnNode(joiner, { detached: this.detached, extraArgs: [] }));
      await this.waitForNode(joiner.number, joiner.number, this.nodeStartTimeoutMs);
    }
  }

  private async waitForNode(node: number, clusterSize: number, timeoutMs: number): Promise<void> {
    const layout = this.layout(node);
    const until = Date.now() + timeoutMs;
    let last = "no answer yet";
    for (;;) {
      try {
        const status = await this.status(node);
        if (status.localStateComment === "Synced" && status.ready && status.clusterSize === clusterSize) return;
        last = JSON.stringify(status);
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      const failure = !this.isRunning(node)
        ? `node ${node} (port ${layout.sqlPort}) exited before it was Synced`
        : Date.now() > until
          ? `node ${node} (port ${layout.sqlPort}) was not Synced in a cluster of ${clusterSize} within ${timeoutMs / 1000} s`
          : undefined;
      if (failure) throw new Error(`${failure}; last status: ${last}\n${tailOfLogs([layout.stderrLog, layout.errorLog])}`);
      await sleep(POLL_MS);
    }
  }

  /** Last resort when the process exits without stop(): 'exit' handlers run synchronously, so no waiting here. */
  private killAllNow(): void {
    for (const layout of this.layouts) {
      const pid = runningPid(layout, this.children.get(layout.number));
      if (pid !== undefined) process.kill(pid, "SIGKILL");
    }
  }

  private layout(node: number): NodeLayout {
    const layout = this.layouts[node - 1];
    if (!Number.isInteger(node) || !layout) throw new Error(`no node ${node}: the cluster has nodes 1 to ${this.layouts.length}`);
    return layout;
  }

  private numbers(): number[] {
    return this.layouts.map((layout) => layout.number);
  }
}

export interface WaitOptions {
  nodes?: number[];
  clusterSize?: number;
  timeoutMs?: number;
}

/** Only the bootstrap node needs system tables: joiners receive the whole datadir by SST. */
async function installSystemTables(node: NodeLayout): Promise<void> {
  const user = SERVER_USER ? [`--user=${SERVER_USER}`] : [];
  try {
    await run(INSTALL_DB, [`--defaults-file=${node.configFile}`, ...user, "--auth-root-authentication-method=normal"]);
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`mariadb-install-db failed for node ${node.number}: ${output.stderr ?? ""}${output.stdout ?? ""}`);
  }
}

function prepareDirectories(dir: string, layouts: NodeLayout[]): void {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: a cluster starts from fresh directories`);
  // The nodes run as mysql, which must reach its files through this directory (mkdtemp makes it 0700).
  chmodSync(dir, 0o755);
  for (const layout of layouts) {
    mkdirSync(layout.dataDir, { recursive: true });
    writeFileSync(layout.configFile, nodeConfig(layout, `mealplan_${layouts[0].sqlPort}`, layouts));
  }
}

async function ownDirectoriesAsServerUser(layouts: NodeLayout[]): Promise<void> {
  if (!SERVER_USER) return;
  await Promise.all(layouts.map((layout) => run("chown", ["-R", `${SERVER_USER}:`, layout.dir])));
}

/**
 * Creates and starts a cluster of fresh nodes. Each node's start is bounded
 * (nodeStartTimeoutMs); a failure names the node and shows the tail of its
 * logs, and leaves no process running (the directory stays, to read).
 */
export async function startCluster(options: ClusterOptions): Promise<GaleraCluster> {
  requireGalera();
  const nodes = options.nodes ?? DEFAULT_NODES;
  // Absolute: mariadbd resolves the paths of its option file from the datadir it changes into.
  const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), "mealplan-galera-"));
  const cluster = new GaleraCluster(dir, options.basePort, nodes, options.detached ?? false, options.nodeStartTimeoutMs);
  const layouts = Array.from({ length: nodes }, (_, index) => nodeLayout(dir, options.basePort, index + 1));
  await assertPortsFree(layouts.flatMap((layout) => [layout.sqlPort, layout.groupPort, layout.istPort, layout.sstPort]));
  prepareDirectories(dir, layouts);
  await ownDirectoriesAsServerUser(layouts);
  writeFileSync(join(dir, RECORD_FILE), JSON.stringify({ basePort: options.basePort, nodes } satisfies ClusterRecord));
  try {
    await cluster.bootstrap();
  } catch (error) {
    await cluster.stop({ keepData: true });
    throw error;
  }
  return cluster;
}

/** The cluster another process started in `dir` (detached), to inspect, kill, restart or stop its nodes. */
export function openCluster(dir: string, options: { nodeStartTimeoutMs?: number } = {}): GaleraCluster {
  const recordFile = join(resolve(dir), RECORD_FILE);
  if (!existsSync(recordFile)) throw new Error(`no cluster in ${dir} (${RECORD_FILE} is missing)`);
  const record = JSON.parse(readFileSync(recordFile, "utf8")) as ClusterRecord;
  return new GaleraCluster(resolve(dir), record.basePort, record.nodes, true, options.nodeStartTimeoutMs);
}
