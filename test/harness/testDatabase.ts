import { createConnection, type Connection, type RowDataPacket } from "mysql2/promise";
import { readMysqlNodes, readMysqlUrl } from "../../shared/config/environmentParsers.js";
import type { Database } from "../../shared/database/Database.js";
import { openDatabase } from "../../shared/database/openDatabase.js";

export const mysqlServer = readMysqlUrl(process.env);
export const mysqlNodes = readMysqlNodes(process.env);

let sequence = 0;

/** A database name no other run or test uses; the harness drops it afterwards. */
export function throwawayDatabaseName(purpose: string): string {
  sequence += 1;
  return `mealplan_test_${purpose}_${process.pid}_${sequence}`;
}

/** A plain connection for a test to look at or lock what the services hold. */
export function openTestConnection(database?: string): Promise<Connection> {
  return createConnection({ ...mysqlServer, database, timezone: "Z", supportBigNumbers: true, bigNumberStrings: true });
}

/** The services' Database over a throwaway database of its own, with no tables: a small pool, short lock waits. */
export function openScratchDatabase(name: string): Promise<Database> {
  return openDatabase({
    servers: mysqlNodes,
    database: name,
    migrations: [],
    poolSize: 2,
    poolQueueLimit: 10,
    lockWaitTimeoutSeconds: 3,
  });
}

export async function dropDatabase(name: string): Promise<void> {
  const connection = await openTestConnection();
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

export async function queryRows<Row>(connection: Connection, sql: string, params: unknown[] = []): Promise<Row[]> {
  const [rows] = await connection.query<RowDataPacket[]>(sql, params);
  return rows as Row[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Transactions of the observer's database now waiting for a row lock (other
 * databases on the server may be busy with other runs). InnoDB serves INNODB_TRX from a
 * cache it refreshes at most every 0.1 s, so reading sooner can return what
 * an earlier read saw.
 */
export async function lockWaitCount(observer: Connection): Promise<number> {
  await sleep(120);
  const rows = await queryRows(
    observer,
    `SELECT trx.trx_id FROM information_schema.INNODB_TRX trx
       JOIN information_schema.PROCESSLIST process ON process.ID = trx.trx_mysql_thread_id
      WHERE trx.trx_state = 'LOCK WAIT' AND process.DB = DATABASE()`,
  );
  return rows.length;
}

/** Resolves once `count` transactions wait for row locks, i.e. the interleaving a test forces has really happened. */
export async function waitForLockWaits(observer: Connection, count: number, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await lockWaitCount(observer)) < count) {
    if (Date.now() > until) throw new Error(`fewer than ${count} transactions waited for a lock within ${timeoutMs} ms`);
  }
}
