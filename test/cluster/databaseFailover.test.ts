import { expect } from "chai";
import { setTimeout as sleep } from "node:timers/promises";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { DataSource, type MigrationInterface, type QueryRunner } from "typeorm";
import { type MysqlNodes, NodeFailedError, type NodeChange } from "../../shared/database/NodeRouter.js";
import type { Database } from "../../shared/database/Database.js";
import { openDatabase } from "../../shared/database/openDatabase.js";
import { runTransaction, type Transaction } from "../../shared/database/Transaction.js";
import { startCluster, type GaleraCluster } from "../../tools/cluster/GaleraCluster.js";
import { connectToNode } from "../../tools/cluster/nodeConnection.js";
import { clusterUrl } from "../../tools/cluster/clusterUrl.js";
import { readMysqlNodes } from "../../shared/config/environmentParsers.js";
import { createBarrier } from "../harness/barrier.js";
import { callScope } from "../harness/callScope.js";

/** Apart from test/cluster/galeraCluster.test.ts (24200) and verifyOnCluster.test.ts (24600). */
const BASE_PORT = 24500;

/** The cluster's nodes as MYSQL_URL names them for a replica that prefers `first`. */
const nodesFrom = (cluster: GaleraCluster, first: number): MysqlNodes =>
  readMysqlNodes({ MYSQL_URL: clusterUrl(cluster, first) });

let databaseSequence = 0;
const freshDatabaseName = () => `failover_${process.pid}_${++databaseSequence}`;

/** A migration that counts how often it ran and how many ran at once, and can hold its runners at a barrier. */
function countingMigration(probe: { runs: number; inside: number; mostAtOnce: number; barrier?: () => Promise<void> }) {
  return class CountedTable1790000000000 implements MigrationInterface {
    name = "CountedTable1790000000000";
    async up(queryRunner: QueryRunner): Promise<void> {
      probe.runs += 1;
      probe.inside += 1;
      probe.mostAtOnce = Math.max(probe.mostAtOnce, probe.inside);
      try {
        // Held together (with a bound, so a locked run that never gets company goes on), or given time to overlap.
        await (probe.barrier ? Promise.race([probe.barrier(), sleep(5000)]) : sleep(300));
        await queryRunner.query("CREATE TABLE counted (id INT PRIMARY KEY)");
      } finally {
        probe.inside -= 1;
      }
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query("DROP TABLE counted");
    }
  };
}

async function openOn(
  cluster: GaleraCluster,
  first: number,
  database: string,
  extra: Partial<Parameters<typeof openDatabase>[0]> = {},
) {
  return openDatabase({
    servers: nodesFrom(cluster, first),
    database,
    migrations: [],
    poolSize: 4,
    poolQueueLimit: 100,
    lockWaitTimeoutSeconds: 5,
    ...extra,
  });
}

const nodeNameOf = async (database: Database) =>
  (await database.query<{ node: string }[]>("SELECT @@wsrep_node_name AS node FROM where_am_i"))[0].node;

async function rows<Row>(connection: Connection, sql: string): Promise<Row[]> {
  const [result] = await connection.query<RowDataPacket[]>(sql);
  return result as Row[];
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

describe("cluster: a service's database over three Galera nodes (NodeRouter, migrations, failover)", function () {
  this.timeout(180_000);
  let cluster: GaleraCluster;
  let admin: Connection;

  before(async () => {
    cluster = await startCluster({ basePort: BASE_PORT, nodes: 3 });
    admin = await connectToNode(cluster.address(1));
  });

  after(async () => {
    // Node 1, which it talks to, is killed by the last test: nothing to end politely.
    admin?.destroy();
    await cluster?.stop();
  });

  it("sends everything to the first node of its list, each session with wsrep_sync_wait=7 (or what it is told)", async () => {
    const name = freshDatabaseName();
    const database = await openOn(cluster, 2, name);
    const control = await openOn(cluster, 3, name, { galeraSyncWait: 0 });
    try {
      const sessionOf = (db: Database) =>
        db.query<{ node: string; syncWait: string }[]>("SELECT @@wsrep_node_name AS node, @@SESSION.wsrep_sync_wait AS syncWait");
      expect((await sessionOf(database))[0]).to.deep.include({ node: "node2", syncWait: "7" });
      expect((await sessionOf(control))[0]).to.deep.include({ node: "node3", syncWait: "0" });
      const [inTransaction] = await runTransaction(
        database,
        (transaction) => transaction.query<{ syncWait: string }[]>("SELECT @@SESSION.wsrep_sync_wait AS syncWait"),
        callScope(),
      );
      expect(inTransaction.syncWait).to.equal("7");
    } finally {
      await database.close();
      await control.close();
    }
  });

  it("migrates once when three replicas start at once on three nodes; TypeORM alone runs the migration three times at once (control)", async () => {
    const locked = { runs: 0, inside: 0, mostAtOnce: 0 };
    const name = freshDatabaseName();
    const opened = await Promise.all(
      [1, 2, 3].map((first) => openOn(cluster, first, name, { migrations: [countingMigration(locked)] })),
    );
    await Promise.all(opened.map((database) => database.close()));
    expect(locked).to.deep.include({ runs: 1, mostAtOnce: 1 });
    expect(await rows(admin, `SELECT name FROM \`${name}\`.schema_migrations`)).to.have.length(1);

    // Control: the same migration through TypeORM on each node without the lock, held together at a barrier.
    const unlocked = { runs: 0, inside: 0, mostAtOnce: 0, barrier: createBarrier(3) };
    const controlName = freshDatabaseName();
    await admin.query(`CREATE DATABASE \`${controlName}\``);
    const migrateOn = async (node: number, migrations: (new () => MigrationInterface)[]) => {
      const dataSource = new DataSource({
        type: "mariadb",
        ...cluster.address(node),
        username: "root",
        database: controlName,
        migrations,
        migrationsTableName: "schema_migrations",
      });
      await dataSource.initialize();
      try {
        await dataSource.runMigrations({ transaction: "each" });
      } finally {
        await dataSource.destroy();
      }
    };
    // TypeORM's own table first, so that the three race over the migration itself, not over creating it.
    await migrateOn(1, []);
    const outcomes = await Promise.allSettled([1, 2, 3].map((node) => migrateOn(node, [countingMigration(unlocked)])));
    expect(unlocked.mostAtOnce, "migrations running at once without the lock").to.equal(3);
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).to.have.length(2);
  });

  describe("with a table to read", () => {
    const name = freshDatabaseName();
    let database: Database;
    const changes: NodeChange[] = [];

    before(async () => {
      database = await openOn(cluster, 1, name, { onNodeChange: (change) => changes.push(change) });
      await database.query("CREATE TABLE where_am_i (id INT PRIMARY KEY)");
      await database.query("INSERT INTO where_am_i VALUES (1)");
      await database.query("CREATE TABLE acknowledged (id INT PRIMARY KEY)");
    });
    after(() => database?.close());

    it("row locks hold on their own node only: certification fails the second writer with 1213, and runTransaction's retry loses nothing", async () => {
      await database.query("CREATE TABLE counter (id INT PRIMARY KEY, value INT NOT NULL)");
      await database.query("INSERT INTO counter VALUES (1, 0)");
      const onNode2 = await openOn(cluster, 2, name);
      const retries: number[] = [];
      onNode2.onTransactionRetry = database.onTransactionRetry = (errno) => retries.push(errno);
      try {
        const increment = (db: Database, bothLocked: () => Promise<void>, retry: boolean) => {
          const work = async (transaction: Transaction) => {
            const [{ value }] = await transaction.query<{ value: number }[]>("SELECT value FROM counter WHERE id = 1 FOR UPDATE");
            // Both hold FOR UPDATE on the same row at once: on one server the second would wait here.
            await Promise.race([bothLocked(), sleep(3000)]);
            await transaction.query("UPDATE counter SET value = ? WHERE id = 1", [value + 1]);
          };
          return retry ? runTransaction(db, work, callScope()) : db.transaction(work, callScope().signal);
        };
        // Control: without the retry, one of the two fails certification.
        const bare = createBarrier(2);
        const control = await Promise.allSettled([increment(database, bare, false), increment(onNode2, bare, false)]);
        const failed = control.flatMap((outcome) =>
          outcome.status === "rejected" ? [outcome.reason as { errno?: number }] : [],
        );
        expect(failed.map((error) => error.errno)).to.deep.equal([1213]);
        const both = createBarrier(2);
        await Promise.all([increment(database, both, true), increment(onNode2, both, true)]);
        const [{ value }] = await database.query<{ value: number }[]>("SELECT value FROM counter WHERE id = 1");
        expect(value, "one increment of the control and both of the retried pair").to.equal(3);
        expect(retries).to.include(1213);
      } finally {
        database.onTransactionRetry = () => {};
        await onNode2.close();
      }
    });

    it("moves to the next node when its node refuses queries (error 1047), and back once it serves again", async () => {
      expect(await nodeNameOf(database)).to.equal("node1");
      await admin.query("SET GLOBAL wsrep_reject_queries = ALL");
      try {
        // The read meets 1047 on node 1 and runs again on node 2, within the same call.
        expect(await nodeNameOf(database)).to.equal("node2");
        const address = (node: number) => `127.0.0.1:${cluster.address(node).port}`;
        expect(changes.at(-2)).to.deep.include({ from: address(1), reason: "ER_UNKNOWN_COM_ERROR (1047)" });
        expect(changes.at(-1)).to.deep.include({ to: address(2) });
        // Drained, node 1 is not taken back.
        await sleep(2500);
        expect(await nodeNameOf(database)).to.equal("node2");
      } finally {
        await admin.query("SET GLOBAL wsrep_reject_queries = NONE");
      }
      const backAfterMs = await until(async () => (await nodeNameOf(database)) === "node1", 10_000, "failback to node 1");
      process.stdout.write(`      back on node 1 ${(backAfterMs / 1000).toFixed(1)} s after it served again\n`);
    });

    it("does not take a node that is not Synced (Donor/Desynced), from the start or on failback", async () => {
      await admin.query("SET GLOBAL wsrep_desync = ON");
      try {
        const other = await openOn(cluster, 1, name);
        try {
          expect(await nodeNameOf(other)).to.equal("node2");
          await sleep(2500);
          expect(await nodeNameOf(other)).to.equal("node2");
        } finally {
          await other.close();
        }
      } finally {
        await admin.query("SET GLOBAL wsrep_desync = OFF");
      }
    });

    it("survives kill -9 of its node: the next node takes over within seconds, nothing acknowledged is lost, and it returns after IST", async () => {
      const acknowledged: number[] = [];
      const errors: string[] = [];
      let killedAt = 0;
      let firstSuccessAfterKill: number | undefined;
      let stop = false;
      const writer = (async () => {
        for (let id = 1; !stop; id++) {
          try {
            await runTransaction(
              database,
              async (transaction) => {
                await transaction.query("INSERT INTO acknowledged VALUES (?)", [id]);
              },
              callScope(15_000),
            );
            acknowledged.push(id);
            if (killedAt > 0 && firstSuccessAfterKill === undefined) firstSuccessAfterKill = Date.now() - killedAt;
          } catch (error) {
            expect(error, String(error)).to.be.instanceOf(NodeFailedError);
            errors.push((error as NodeFailedError).details.reason);
          }
        }
      })();
      await sleep(1000);
      killedAt = Date.now();
      await cluster.killNode(1);
      await until(() => Promise.resolve(firstSuccessAfterKill !== undefined), 30_000, "a write after the kill");
      await sleep(1000);
      const { stateTransfer } = await cluster.startNode(1);
      const backMs = await until(async () => (await nodeNameOf(database)) === "node1", 15_000, "failback to node 1");
      stop = true;
      await writer;
      process.stdout.write(
        `      ${acknowledged.length} writes acknowledged; first after the kill in ${((firstSuccessAfterKill ?? 0) / 1000).toFixed(1)} s; ` +
          `errors: ${errors.join(", ") || "none"}; node 1 back by ${stateTransfer}, taken back ${(backMs / 1000).toFixed(1)} s later\n`,
      );
      expect(stateTransfer).to.equal("IST");
      // Only a write whose COMMIT the kill cut off may fail, and it says its outcome is unknown.
      expect(errors.every((reason) => reason === "COMMIT_OUTCOME_UNKNOWN")).to.equal(true);
      expect(errors.length).to.be.at.most(1);
      const node3 = await connectToNode(cluster.address(3));
      // Causal, like the services' reads: the last writes, on node 1 again, may not be applied on node 3 yet.
      await node3.query("SET SESSION wsrep_sync_wait = 1");
      const stored = new Set((await rows<{ id: number }>(node3, `SELECT id FROM \`${name}\`.acknowledged`)).map((row) => row.id));
      await node3.end();
      expect(
        acknowledged.filter((id) => !stored.has(id)),
        "acknowledged writes missing on node 3",
      ).to.deep.equal([]);
    });
  });
});
