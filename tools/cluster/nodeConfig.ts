import type { NodeLayout } from "./nodeLayout.js";

export const GALERA_PROVIDER = "/usr/lib/galera/libgalera_smm.so";

/**
 * The option file of one node (the settings that formed a cluster on loopback
 * here, docs/scaling.md). innodb_flush_log_at_trx_commit=1 because the
 * recommended 2 can lose acknowledged commits when nodes crash together; the
 * small buffer pool and redo log keep three nodes and their SSTs light.
 */
export function nodeConfig(node: NodeLayout, clusterName: string, members: NodeLayout[]): string {
  const clusterAddress = members.map((member) => `127.0.0.1:${member.groupPort}`).join(",");
  const providerOptions = [
    `base_port=${node.groupPort}`,
    `ist.recv_addr=127.0.0.1:${node.istPort}`,
    // Large enough that a node down for a test's worth of writes rejoins by IST, not a full SST.
    "gcache.size=32M",
  ].join(";");
  return `[mariadbd]
datadir=${node.dataDir}
socket=${node.socket}
pid-file=${node.pidFile}
log-error=${node.errorLog}
port=${node.sqlPort}
bind-address=127.0.0.1
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
innodb_flush_log_at_trx_commit=1
binlog_format=ROW
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=${GALERA_PROVIDER}
wsrep_cluster_name=${clusterName}
wsrep_cluster_address=gcomm://${clusterAddress}
wsrep_node_name=node${node.number}
wsrep_node_address=127.0.0.1
wsrep_node_incoming_address=127.0.0.1:${node.sqlPort}
wsrep_provider_options="${providerOptions}"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:${node.sstPort}
`;
}
