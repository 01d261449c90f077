import { expect } from "chai";
import { createConnection, type ResultSetHeader, type RowDataPacket } from "mysql2/promise";
import type { Database } from "../../shared/database/Database.js";
import { DomainError } from "../../shared/errors/DomainError.js";
import { openDatabase } from "../../shared/database/openDatabase.js";
import { runTransaction, statement } from "../../shared/database/Transaction.js";
import { readMysqlNodes } from "../../shared/config/environmentParsers.js";
import { startCluster, type GaleraCluster } from "../../tools/cluster/GaleraCluster.js";
import { clusterUrl } from "../../tools/cluster/clusterUrl.js";
import { callScope } from "../harness/callScope.js";

/** Apart from the other cluster tests (24200, 24500, 24600) and verify's default (24300). */
const BASE_PORT = 24700;
const WRITERS_PER_NODE = 4;
/** Long enough for the control to lose writes in every run seen (it lost dozens in 15 s), short for CI. */
const RUN_MS = 8000;
const DATABASE = "galera_batches";

/** A write acknowledged to its writer: the version it says it made, and who made it. */
interface Acknowledged {
  version: number;
  writer: string;
}

/**
 * The write path's shape: bump a counter row and read it back in one round
 * trip, then the revision row and COMMIT in a second. Every acknowledged
 * version must have its writer's revision, and no two acknowledgments may
 * share a version: a lost update otherwise.
 */
type WriteOnce = (writer: string) => Promise<number>;

async function hammer(writersByNode: WriteOnce[][]): Promise<{ acknowledged: Acknowledged[]; retried: number }> {
  const acknowledged: Acknowledged[] = [];
  let retried = 0;
  const end = Date.now() + RUN_MS;
  await Promise.all(
    writersByNode.flatMap((writers, node) =>
      writers.map(async (write, index) => {
        for (let n = 0; Date.now() < end; n++) {
          const writer = `n${node + 1}w${index}-${n}`;
          for (;;) {
            try {
              acknowledged.push({ version: await write(writer), writer });
              break;
            } catch (error) {
              // Conflicts across nodes (1213, or runTransaction's ABORTED once its own retries ran out) are
              // tried again; anything else is a finding.
              const conflict =
                (error as { errno?: number }).errno === 1213 || (error instanceof DomainError && error.kind === "ABORTED");
              if (!conflict) throw error;
              retried++;
            }
          }
        }
      }),
    ),
  );
  return { acknowledged, retried };
}

async function lostWrites(cluster: GaleraCluster, acknowledged: Acknowledged[]) {
  const connection = await createConnection({ ...cluster.addresses[0], user: "root", database: DATABASE });
  try {
    const [revisions] = await connection.query<RowDataPacket[]>("SELECT version, writer FROM revisions");
    const recorded = new Set(revisions.map((row) => `${row.version}/${row.writer}`));
    return acknowledged.filter(({ version, writer }) => !recorded.has(`${version}/${writer}`));
  } finally {
    await connection.end();
  }
}

async function resetTables(cluster: GaleraCluster): Promise<void> {
  const connection = await createConnection({ ...cluster.addresses[0], user: "root", multipleStatements: true });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS ${DATABASE}; USE ${DATABASE}; DROP TABLE IF EXISTS counter, revisions;
       CREATE TABLE counter (id INT PRIMARY KEY, version BIGINT NOT NULL, writer VARCHAR(32) NOT NULL);
       CREATE TABLE revisions (version BIGINT PRIMARY KEY, writer VARCHAR(32) NOT NULL);
       INSERT INTO counter VALUES (1, 0, '-')`,
    );
  } finally {
    await connection.end();
  }
}

const BUMP = "UPDATE counter SET version = version + 1, writer = ? WHERE id = 1";
const READ_BACK = "SELECT version FROM counter WHERE id = 1";
const RECORD = "INSERT INTO revisions (version, writer) VALUES (?, ?)";

describe("cluster: a transaction's statement batches on Galera", function () {
  this.timeout(120_000);
  let cluster: GaleraCluster;

  before(async () => {
    cluster = await startCluster({ basePort: BASE_PORT, nodes: 2 });
  });
  after(() => cluster?.stop());
  beforeEach(() => resetTables(cluster));

  it("control: batches sent as one text each, COMMIT with the last, lose acknowledged writes to conflicts from the other node", async () => {
    const connections = await Promise.all(
      cluster.addresses.flatMap((node) =>
        Array.from({ length: WRITERS_PER_NODE }, () =>
          createConnection({ ...node, user: "root", database: DATABASE, multipleStatements: true }),
        ),
      ),
    );
    try {
      for (const connection of connections) await connection.query("SET SESSION wsrep_sync_wait = 7");
      const writeOnce =
        (connection: (typeof connections)[number]): WriteOnce =>
        async (writer) => {
          try {
            const [results] = await connection.query<RowDataPacket[][]>(`START TRANSACTION; ${BUMP}; ${READ_BACK}`, [writer]);
            const version = Number(results[2][0].version);
            await connection.query(`${RECORD}; COMMIT`, [version, writer]);
            return version;
          } catch (error) {
            await connection.query("ROLLBACK");
            throw error;
          }
        };
      const byNode = [connections.slice(0, WRITERS_PER_NODE), connections.slice(WRITERS_PER_NODE)];
      const { acknowledged } = await hammer(byNode.map((nodeConnections) => nodeConnections.map(writeOnce)));
      const lost = await lostWrites(cluster, acknowledged);
      process.stdout.write(`      control: ${lost.length} of ${acknowledged.length} acknowledged writes lost\n`);
      expect(lost.length, "acknowledged writes lost").to.be.greaterThan(0);
    } finally {
      await Promise.all(connections.map((connection) => connection.end()));
    }
  });

  it("the service's transactions, same batches through Database, lose none: on Galera each statement goes alone", async () => {
    const databases: Database[] = await Promise.all(
      [1, 2].map((first) =>
        openDatabase({
          servers: readMysqlNodes({ MYSQL_URL: clusterUrl(cluster, first) }),
          database: DATABASE,
          migrations: [],
          poolSize: WRITERS_PER_NODE,
          poolQueueLimit: 100,
          lockWaitTimeoutSeconds: 5,
        }),
      ),
    );
    let conflicts = 0;
    for (const database of databases) database.onTransactionRetry = () => conflicts++;
    try {
      const writeOnce =
        (database: Database): WriteOnce =>
        (writer) =>
          runTransaction(
            database,
            async (transaction) => {
              const [, rows] = await transaction.send(
                statement<ResultSetHeader>(BUMP, [writer]),
                statement<RowDataPacket[]>(READ_BACK, []),
              );
              const version = Number(rows[0].version);
              await transaction.sendAndCommit(statement<ResultSetHeader>(RECORD, [version, writer]));
              return version;
            },
            callScope(30_000),
          );
      const { acknowledged } = await hammer(
        databases.map((database) => Array.from({ length: WRITERS_PER_NODE }, () => writeOnce(database))),
      );
      const lost = await lostWrites(cluster, acknowledged);
      process.stdout.write(
        `      service: ${lost.length} of ${acknowledged.length} acknowledged writes lost (${conflicts} conflicts retried)\n`,
      );
      expect(lost, "acknowledged writes lost").to.deep.equal([]);
      expect(acknowledged.length).to.be.greaterThan(500);
      expect(new Set(acknowledged.map(({ version }) => version)).size, "distinct versions").to.equal(acknowledged.length);
    } finally {
      await Promise.all(databases.map((database) => database.close()));
    }
  });
});
