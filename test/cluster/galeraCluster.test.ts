import { expect } from "chai";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { startCluster, type GaleraCluster } from "../../tools/cluster/GaleraCluster.js";
import { connectToNode } from "../../tools/cluster/nodeConnection.js";

/** Far from the CLI's default (24100) and from 3306/4567, so a cluster started by hand does not collide. */
const BASE_PORT = 24200;
const PROBE_ROUNDS = 2000;
const WRITES_WHILE_DOWN = 50;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function openSession(cluster: GaleraCluster, node: number, syncWait: 0 | 1): Promise<Connection> {
  const connection = await connectToNode(cluster.address(node));
  await connection.query("USE galera_probe");
  await connection.query("SET SESSION wsrep_sync_wait = ?", [syncWait]);
  return connection;
}

async function readValue(connection: Connection, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await connection.query<RowDataPacket[]>(sql, params);
  return Number(Object.values(rows[0])[0]);
}

/**
 * Round i writes i on the writer, then at once reads it back on the next
 * reader: a read that returns less than i did not see a write the cluster had
 * already acknowledged.
 */
async function countStaleReads(writer: Connection, readers: Connection[], rounds: number): Promise<number> {
  await writer.query("UPDATE probe SET value = 0 WHERE id = 1");
  let stale = 0;
  for (let round = 1; round <= rounds; round++) {
    await writer.query("UPDATE probe SET value = ? WHERE id = 1", [round]);
    const reader = readers[round % readers.length];
    if ((await readValue(reader, "SELECT value FROM probe WHERE id = 1")) < round) stale += 1;
  }
  return stale;
}

describe("cluster: three MariaDB Galera nodes on loopback", function () {
  // Starting takes 10-15 s on the 2-core machine; the kill is noticed after evs.suspect_timeout (5 s).
  this.timeout(120_000);
  let cluster: GaleraCluster;
  let node1: Connection;
  let node3: Connection;

  before(async () => {
    const started = Date.now();
    cluster = await startCluster({ basePort: BASE_PORT, nodes: 3 });
    process.stdout.write(`      cluster ready in ${seconds(Date.now() - started)}\n`);
    node1 = await connectToNode(cluster.address(1));
    await node1.query("CREATE DATABASE galera_probe");
    await node1.query("USE galera_probe");
    await node1.query("CREATE TABLE probe (id INT PRIMARY KEY, value BIGINT NOT NULL)");
    await node1.query("INSERT INTO probe VALUES (1, 0)");
    await node1.query("CREATE TABLE written_while_down (id INT PRIMARY KEY, written_on INT NOT NULL)");
    node3 = await openSession(cluster, 3, 1);
  });

  after(async () => {
    await node1?.end();
    await node3?.end();
    await cluster?.stop();
  });

  it("has all three nodes Synced, ready, in a primary component of three", async () => {
    for (const node of [1, 2, 3]) {
      expect(await cluster.status(node), `node ${node}`).to.deep.equal({
        localStateComment: "Synced",
        ready: true,
        clusterSize: 3,
        clusterStatus: "Primary",
      });
    }
  });

  it("reads on node 3 a row written on node 1 when the session has wsrep_sync_wait=1", async () => {
    await node1.query("INSERT INTO written_while_down VALUES (0, 1)");
    expect(await readValue(node3, "SELECT COUNT(*) FROM written_while_down WHERE id = 0")).to.equal(1);
    await node1.query("DELETE FROM written_while_down WHERE id = 0");
  });

  it("never reads stale on nodes 2 and 3 right after a write on node 1 with wsrep_sync_wait=1 (and prints how often without)", async () => {
    const readers = await Promise.all([openSession(cluster, 2, 0), openSession(cluster, 3, 0)]);
    const waitingReaders = await Promise.all([openSession(cluster, 2, 1), openSession(cluster, 3, 1)]);
    try {
      let started = Date.now();
      const staleWithoutWait = await countStaleReads(node1, readers, PROBE_ROUNDS);
      const withoutMs = Date.now() - started;
      started = Date.now();
      const staleWithWait = await countStaleReads(node1, waitingReaders, PROBE_ROUNDS);
      const withMs = Date.now() - started;
      // Without sync_wait the count depends on timing (load, scheduling): a figure to read, not to assert.
      process.stdout.write(
        `      stale reads: ${staleWithoutWait}/${PROBE_ROUNDS} without wsrep_sync_wait (${seconds(withoutMs)}), ` +
          `${staleWithWait}/${PROBE_ROUNDS} with wsrep_sync_wait=1 (${seconds(withMs)})\n`,
      );
      expect(staleWithWait).to.equal(0);
    } finally {
      await Promise.all([...readers, ...waitingReaders].map((connection) => connection.end()));
    }
  });

  it("keeps taking writes on nodes 1 and 3 after node 2 is killed with SIGKILL, in a cluster of two", async () => {
    const killed = Date.now();
    await cluster.killNode(2);
    await cluster.waitUntilSynced({ nodes: [1, 3], clusterSize: 2, timeoutMs: 30_000 });
    process.stdout.write(`      nodes 1 and 3 formed a cluster of 2 ${seconds(Date.now() - killed)} after the kill\n`);
    for (let id = 1; id <= WRITES_WHILE_DOWN; id++) {
      const [writer, node] = id % 2 === 0 ? [node1, 1] : [node3, 3];
      await writer.query("INSERT INTO written_while_down VALUES (?, ?)", [id, node]);
    }
    expect(await readValue(node1, "SELECT COUNT(*) FROM written_while_down")).to.equal(WRITES_WHILE_DOWN);
    expect(await readValue(node3, "SELECT COUNT(*) FROM written_while_down")).to.equal(WRITES_WHILE_DOWN);
  });

  it("brings node 2 back by IST, Synced in a cluster of three, with the writes it missed", async () => {
    const { stateTransfer, elapsedMs } = await cluster.startNode(2);
    process.stdout.write(`      node 2 rejoined in ${seconds(elapsedMs)} by ${stateTransfer}\n`);
    expect(stateTransfer).to.equal("IST");
    for (const node of [1, 2, 3]) expect((await cluster.status(node)).clusterSize, `node ${node}`).to.equal(3);
    // No sync wait: the rows are in node 2's own tables once it is Synced.
    const node2 = await openSession(cluster, 2, 0);
    try {
      expect(await readValue(node2, "SELECT COUNT(*) FROM written_while_down")).to.equal(WRITES_WHILE_DOWN);
    } finally {
      await node2.end();
    }
  });
});
