import { setTimeout as sleep } from "node:timers/promises";
import type { GaleraCluster } from "../cluster/GaleraCluster.js";
import type { RunningReplica } from "./startReplicas.js";

/** One thing the injector broke, on the history's clock (ms since the run started). */
export interface FaultEvent {
  /** "node 2 (kill -9)", "goals A (kill -9)". */
  what: string;
  killedAt: number;
  /** When it was back: the node Synced again, the process listening again. */
  backAt: number;
  /** Replica addresses whose calls the fault hit first: the killed replica, or those that preferred the killed node. */
  affected: string[];
  /** How the node came back (IST or SST), for a node. */
  note?: string;
}

export interface FaultPlan {
  cluster: GaleraCluster;
  replicas: RunningReplica[];
  durationMs: number;
  /** The history's clock. */
  now: () => number;
}

/** The node whose loss the run survives: it serves goals B and meals A first (startReplicas). */
const KILLED_NODE = 2;
/** One replica of each service; meals B asks goals A for goals, so its calls depend on both. */
const KILLED_REPLICAS = ["goals A", "meals B"];
/** How long the killed node stays down before it is started again. */
const NODE_DOWN_FRACTION = 0.2;

/**
 * During the workload: a quarter in, kill -9 database node 2 and, after a
 * fifth of the run, start it again (it rejoins by IST); at 60 %, kill -9 one
 * replica of each service (goals A, meals B) and start each again at once on
 * its port. Resolves with what happened when, for the report.
 */
export async function injectFaults({ cluster, replicas, durationMs, now }: FaultPlan): Promise<FaultEvent[]> {
  const events: FaultEvent[] = [];
  const until = async (fraction: number) => {
    const wait = fraction * durationMs - now();
    if (wait > 0) await sleep(wait);
  };
  await until(0.25);
  const nodeKilledAt = now();
  await cluster.killNode(KILLED_NODE);
  await until(0.25 + NODE_DOWN_FRACTION);
  const { stateTransfer } = await cluster.startNode(KILLED_NODE);
  events.push({
    what: `node ${KILLED_NODE} (kill -9)`,
    killedAt: nodeKilledAt,
    backAt: now(),
    affected: replicas.filter((replica) => replica.preferredNode === KILLED_NODE).map((replica) => replica.address),
    note: `rejoined by ${stateTransfer}`,
  });
  await until(0.6);
  const victims = replicas.filter((replica) => KILLED_REPLICAS.includes(replica.label));
  const replicasKilledAt = now();
  await Promise.all(victims.map((replica) => replica.killAndRestart()));
  events.push({
    what: `${victims.map((replica) => replica.label).join(" and ")} (kill -9)`,
    killedAt: replicasKilledAt,
    backAt: now(),
    affected: victims.map((replica) => replica.address),
  });
  return events;
}
