import type { RowDataPacket } from "mysql2/promise";
import { connectToNode, type NodeAddress } from "./nodeConnection.js";

/** What tells whether a node is part of the cluster and may take traffic. */
export interface WsrepStatus {
  /** Synced, Joining, Joined, Donor/Desynced, Initialized ... */
  localStateComment: string;
  /** false while the node is not in the primary component: it refuses queries (error 1047). */
  ready: boolean;
  clusterSize: number;
  /** Primary, non-Primary or Disconnected. */
  clusterStatus: string;
}

export async function readWsrepStatus(address: NodeAddress): Promise<WsrepStatus> {
  const connection = await connectToNode(address);
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      `SHOW GLOBAL STATUS WHERE Variable_name IN
         ('wsrep_local_state_comment', 'wsrep_ready', 'wsrep_cluster_size', 'wsrep_cluster_status')`,
    );
    const value = new Map(rows.map((row) => [String(row.Variable_name).toLowerCase(), String(row.Value)]));
    return {
      localStateComment: value.get("wsrep_local_state_comment") ?? "",
      ready: value.get("wsrep_ready") === "ON",
      clusterSize: Number(value.get("wsrep_cluster_size") ?? 0),
      clusterStatus: value.get("wsrep_cluster_status") ?? "",
    };
  } finally {
    await connection.end();
  }
}

/** How often Galera rolled back a transaction of this node for a conflict with another node's write, since the node started. */
export interface ConflictCounters {
  /** wsrep_local_cert_failures: local transactions that failed certification at COMMIT (error 1213). */
  certificationFailures: number;
  /** wsrep_local_bf_aborts: local transactions aborted by a replicated write that needed their locks (1213 too). */
  bruteForceAborts: number;
}

export async function readConflictCounters(address: NodeAddress): Promise<ConflictCounters> {
  const connection = await connectToNode(address);
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_cert_failures', 'wsrep_local_bf_aborts')",
    );
    const value = new Map(rows.map((row) => [String(row.Variable_name).toLowerCase(), Number(row.Value)]));
    return {
      certificationFailures: value.get("wsrep_local_cert_failures") ?? 0,
      bruteForceAborts: value.get("wsrep_local_bf_aborts") ?? 0,
    };
  } finally {
    await connection.end();
  }
}
