import type { GaleraCluster } from "./GaleraCluster.js";

/**
 * MYSQL_URL for a service replica on the cluster: every node, `first` first and
 * the others after it in order, so that replicas that prefer different nodes
 * fail over to different ones.
 */
export function clusterUrl(cluster: GaleraCluster, first: number): string {
  const count = cluster.addresses.length;
  const order = Array.from({ length: count }, (_, offset) => ((first - 1 + offset) % count) + 1);
  return `mysql://root@${order.map((node) => `${cluster.address(node).host}:${cluster.address(node).port}`).join(",")}`;
}
