import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { ConfigError } from "../../shared/config/ConfigError.js";
import { readHostPort, readMysqlNodes, readMysqlUrl } from "../../shared/config/environmentParsers.js";
import { readCommonSettings } from "../../shared/config/readCommonSettings.js";
import type { Database } from "../../shared/database/Database.js";
import { dialectOf } from "../../shared/database/openDatabase.js";
import { backoffDelay, runTransaction } from "../../shared/database/Transaction.js";
import { splitFileDescriptorSet, loadReflectionDescriptors } from "../../shared/grpc/loadReflectionDescriptors.js";
import { DomainError } from "../../shared/errors/DomainError.js";
import { toStatusObject } from "../../shared/grpc/serveUnary.js";
import { callScope } from "../harness/callScope.js";
import {
  dropDatabase,
  openScratchDatabase,
  openTestConnection,
  queryRows,
  throwawayDatabaseName,
} from "../harness/testDatabase.js";

describe("shared: runtime", () => {
  describe("configuration", () => {
    it("has working defaults", () => {
      const settings = readCommonSettings({});
      expect(settings.mysql).to.deep.equal({ nodes: [{ host: "127.0.0.1", port: 3306 }], user: "root", password: "" });
      expect(settings.galeraSyncWait).to.equal(7);
      expect(settings.poolQueueLimit).to.be.greaterThan(0);
    });

    it("reads credentials from MYSQL_URL", () => {
      expect(readMysqlUrl({ MYSQL_URL: "mysql://app:p%40ss@db:3307" })).to.deep.equal({
        host: "db",
        port: 3307,
        user: "app",
        password: "p@ss",
      });
    });

    it("reads the nodes of a Galera cluster from MYSQL_URL, in the order given", () => {
      expect(readMysqlNodes({ MYSQL_URL: "mysql://app:p%40ss@h1:3306,h2:3307,[::1]" })).to.deep.equal({
        nodes: [
          { host: "h1", port: 3306 },
          { host: "h2", port: 3307 },
          { host: "[::1]", port: 3306 },
        ],
        user: "app",
        password: "p@ss",
      });
      expect(readMysqlUrl({ MYSQL_URL: "mysql://root@h2:3307,h1:3306" })).to.deep.equal({
        host: "h2",
        port: 3307,
        user: "root",
        password: "",
      });
    });

    it("names the variable and the problem when a setting is wrong", () => {
      const cases: [Record<string, string>, string][] = [
        [{ MYSQL_URL: "postgres://x" }, "MYSQL_URL"],
        [{ MYSQL_URL: "not a url" }, "MYSQL_URL"],
        [{ MYSQL_URL: "mysql://root@h:3306/somedb" }, "MYSQL_URL"],
        [{ MYSQL_URL: "mysql://root@h1:3306,,h2:3306" }, "empty host"],
        [{ MYSQL_URL: "mysql://root@h1:3306,h1:3306" }, "h1:3306 twice"],
        [{ MYSQL_URL: "mysql://root@h1:3306,h2:port" }, "MYSQL_URL"],
        [{ DB_GALERA_SYNC_WAIT: "16" }, "DB_GALERA_SYNC_WAIT"],
        [{ DB_POOL_SIZE: "0" }, "DB_POOL_SIZE"],
        [{ DEFAULT_DEADLINE_MS: "soon" }, "DEFAULT_DEADLINE_MS"],
      ];
      for (const [env, variable] of cases) {
        expect(() => readCommonSettings(env), variable).to.throw(ConfigError, variable);
      }
      expect(() => readHostPort({ X: "localhost" }, "X", "0.0.0.0:1")).to.throw(ConfigError, "host:port");
      expect(readHostPort({ X: "[::1]:50051" }, "X", "0.0.0.0:1")).to.equal("[::1]:50051");
    });
  });

  it("picks the SQL dialect from the server version", () => {
    expect(dialectOf("10.11.19-MariaDB-0+deb12u1")).to.equal("mariadb");
    expect(dialectOf("8.4.3")).to.equal("mysql");
  });

  it("keeps backoff jittered and bounded", () => {
    expect(backoffDelay(1, () => 0)).to.equal(0);
    expect(backoffDelay(3, () => 0.999)).to.equal(31);
    expect(backoffDelay(30, () => 0.999)).to.equal(199);
  });

  describe("error statuses", () => {
    it("maps an unreachable database to UNAVAILABLE", () => {
      const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED" });
      expect(toStatusObject(refused, "x").code).to.equal(status.UNAVAILABLE);
      expect(toStatusObject(new Error("Queue limit reached."), "x").code).to.equal(status.UNAVAILABLE);
    });

    it("hides anything unexpected behind UNKNOWN", () => {
      const statusObject = toStatusObject(new TypeError("secret internals"), "x");
      expect(statusObject.code).to.equal(status.UNKNOWN);
      expect(statusObject.details).not.to.contain("secret");
    });
  });

  it("splits buf's FileDescriptorSets into the files reflection serves", () => {
    const files = (loadReflectionDescriptors() as unknown as { mealplan: { fileDescriptorProtos: Buffer[] } }).mealplan
      .fileDescriptorProtos;
    const names = files.map((file) => file.subarray(2, 2 + file[1]).toString());
    expect(names).to.include.members([
      "mealplan/goals/v1/goals.proto",
      "google/protobuf/timestamp.proto",
      "health/v1/health.proto",
    ]);
    expect(splitFileDescriptorSet(new Uint8Array())).to.deep.equal([]);
  });

  describe("database", () => {
    const databaseName = throwawayDatabaseName("runtime");
    let database: Database;
    before(async () => {
      database = await openScratchDatabase(databaseName);
      await database.query("CREATE TABLE counter (id INT PRIMARY KEY, value INT NOT NULL)");
      await database.query("INSERT INTO counter VALUES (1, 0)");
    });
    after(async () => {
      await database.close();
      await dropDatabase(databaseName);
    });

    it("creates the database and sets each connection's lock wait timeout", async () => {
      const [{ timeout }] = await database.query<{ timeout: number }[]>("SELECT @@SESSION.innodb_lock_wait_timeout AS timeout");
      expect(Number(timeout)).to.equal(3);
      const connection = await openTestConnection();
      const schemas = await queryRows(connection, "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?", [
        databaseName,
      ]);
      await connection.end();
      expect(schemas).to.have.length(1);
    });

    it("runs transactions at REPEATABLE READ", async () => {
      // INNODB_TRX reports the level of the running transaction on MariaDB and MySQL alike; it is a
      // cache InnoDB refreshes at most every 0.1 s, hence the pause.
      const isolation = await runTransaction(
        database,
        async (session) => {
          await session.query("SELECT value FROM counter WHERE id = 1 FOR UPDATE");
          await new Promise((resolve) => setTimeout(resolve, 150));
          const [row] = await session.query<{ level: string }[]>(
            "SELECT trx_isolation_level AS level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()",
          );
          return row.level;
        },
        callScope(5000),
      );
      expect(isolation).to.equal("REPEATABLE READ");
    });

    for (const [errno, name] of [
      [1213, "a deadlock"],
      [1205, "a lock wait timeout"],
      [1020, "a snapshot conflict"],
    ] as const) {
      it(`runs the whole transaction again after ${name} (${errno}), discarding the failed attempt`, async () => {
        let attempts = 0;
        await runTransaction(
          database,
          async (session) => {
            attempts += 1;
            await session.query("UPDATE counter SET value = value + 1 WHERE id = 1");
            if (attempts < 3) throw Object.assign(new Error("injected"), { errno });
          },
          callScope(5000),
        );
        expect(attempts).to.equal(3);
        const [{ value }] = await database.query<{ value: number }[]>("SELECT value FROM counter WHERE id = 1");
        await database.query("UPDATE counter SET value = 0 WHERE id = 1");
        expect(value, "only the committed attempt counted").to.equal(1);
      });
    }

    it("rolls back a failed transaction and hands its connection back for the next", async () => {
      // Twice the pool's connections: a connection that was not given back would starve the later rounds.
      for (let round = 0; round < 4; round++) {
        const failed = await database
          .transaction(async (session) => {
            await session.query("UPDATE counter SET value = value + 1 WHERE id = 1");
            throw new Error("fails after writing");
          }, callScope().signal)
          .catch((error: unknown) => error);
        expect((failed as Error).message).to.equal("fails after writing");
      }
      const [{ value }] = await database.query<{ value: number }[]>("SELECT value FROM counter WHERE id = 1");
      expect(value, "nothing of the failed transactions is kept").to.equal(0);
    });

    it("discards a connection that died inside a transaction, and serves the next one on a new connection", async () => {
      const killer = await openTestConnection();
      let killedId: number | undefined;
      const failed = await database
        .transaction(async (session) => {
          await session.query("UPDATE counter SET value = value + 1 WHERE id = 1");
          [{ id: killedId }] = await session.query<{ id: number }[]>("SELECT CONNECTION_ID() AS id");
          await killer.query(`KILL CONNECTION ${Number(killedId)}`);
          await session.query("SELECT 1");
        }, callScope().signal)
        .catch((error: unknown) => error);
      await killer.end();
      expect(failed).to.be.instanceOf(Error);
      const ids = await Promise.all(
        [1, 2, 3].map(() =>
          database.transaction(
            async (session) => (await session.query<{ id: number }[]>("SELECT CONNECTION_ID() AS id"))[0].id,
            callScope().signal,
          ),
        ),
      );
      expect(ids).to.not.include(killedId);
      const [{ value }] = await database.query<{ value: number }[]>("SELECT value FROM counter WHERE id = 1");
      expect(value, "the killed transaction's write was rolled back").to.equal(0);
    });

    it("gives up with ABORTED when retries run out, and does not retry other errors", async () => {
      let attempts = 0;
      const exhausted = await runTransaction(
        database,
        () => {
          attempts += 1;
          return Promise.reject(Object.assign(new Error("injected"), { errno: 1213 }));
        },
        callScope(5000),
        4,
      ).catch((error: unknown) => error);
      expect(exhausted).to.be.instanceOf(DomainError);
      expect((exhausted as DomainError).kind).to.equal("ABORTED");
      expect(attempts).to.equal(4);

      attempts = 0;
      const other = await runTransaction(
        database,
        () => {
          attempts += 1;
          return Promise.reject(new Error("not a lock conflict"));
        },
        callScope(5000),
      ).catch((error: unknown) => error);
      expect((other as Error).message).to.equal("not a lock conflict");
      expect(attempts).to.equal(1);
    });
  });
});
