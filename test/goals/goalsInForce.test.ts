import { expect } from "chai";
import type { Database } from "../../shared/database/Database.js";
import type { Transaction } from "../../shared/database/Transaction.js";
import { callScope } from "../harness/callScope.js";
import { openDatabase } from "../../shared/database/openDatabase.js";
import { REVISION_COLUMNS, type RevisionActionName } from "../../services/goals/repository/goalRows.js";
import { goalInForceAt, goalRevisionsInForce, type InForceWindow } from "../../services/goals/repository/goalsInForce.js";
import { GOALS_MIGRATIONS } from "../../services/goals/startGoalsServer.js";
import { dropDatabase, mysqlNodes, throwawayDatabaseName } from "../harness/testDatabase.js";

type Revision = [version: number, action: RevisionActionName, at: string, dailyCalories?: number];

const window = (start: string | undefined, end: string | undefined): InForceWindow => ({
  start: start === undefined ? undefined : new Date(start),
  end: end === undefined ? undefined : new Date(end),
});

describe("goals: the goal in force, read from goal_revisions", () => {
  const databaseName = throwawayDatabaseName("in_force");
  let database: Database;

  async function insertRevisions(customerId: string, revisions: Revision[]): Promise<void> {
    const rows = revisions.map(([version, action, at, dailyCalories = 2000]) => [
      customerId,
      version,
      action,
      dailyCalories,
      "DIET",
      "",
      new Date("2026-01-01T00:00:00Z"),
      new Date(at),
      null,
    ]);
    await database.query(`INSERT INTO goal_revisions (${REVISION_COLUMNS}) VALUES ?`, [rows]);
  }

  const versionsInForce = async (customerId: string, within: InForceWindow, beforeVersion?: string, limit = 100) =>
    (await goalRevisionsInForce(database, customerId, within, beforeVersion, limit)).map((row) => row.version);

  before(async () => {
    database = await openDatabase({
      servers: mysqlNodes,
      database: databaseName,
      migrations: GOALS_MIGRATIONS,
      poolSize: 2,
      poolQueueLimit: 10,
      lockWaitTimeoutSeconds: 3,
    });
    await insertRevisions("ann", [
      [1, "CREATE", "2026-11-01T09:00:00Z", 2000],
      [2, "UPDATE", "2026-11-05T09:00:00Z", 2100],
      [3, "UPDATE", "2026-11-10T09:00:00Z", 2400],
      [4, "UPDATE", "2026-11-18T09:00:00Z", 1800],
      [5, "DELETE", "2026-11-20T09:00:00Z", 1800],
      [6, "CREATE", "2026-11-21T09:00:00Z", 1500],
      [7, "UPDATE", "2026-11-30T09:00:00Z", 1600],
    ]);
  });
  after(async () => {
    await database.close();
    await dropDatabase(databaseName);
  });

  describe("goalRevisionsInForce", () => {
    it("returns the revision in force at the start and every one written inside the window, newest first", async () => {
      expect(await versionsInForce("ann", window("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z"))).to.deep.equal([
        "6",
        "5",
        "4",
        "3",
      ]);
      const [newest] = await goalRevisionsInForce(
        database,
        "ann",
        window("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z"),
        undefined,
        1,
      );
      expect(newest).to.include({ version: "6", action: "CREATE", dailyCalories: 1500 });
      expect(newest.revisionTime.toISOString()).to.equal("2026-11-21T09:00:00.000Z");
    });

    it("takes a revision written at the start's millisecond as the one in force, and leaves out one written at the end's", async () => {
      expect(await versionsInForce("ann", window("2026-11-10T09:00:00Z", "2026-11-21T09:00:00Z"))).to.deep.equal(["5", "4", "3"]);
      expect(await versionsInForce("ann", window("2026-11-10T08:59:59.999Z", "2026-11-21T09:00:00.001Z"))).to.deep.equal([
        "6",
        "5",
        "4",
        "3",
        "2",
      ]);
    });

    it("returns a delete in force at the start: no goal was", async () => {
      const rows = await goalRevisionsInForce(
        database,
        "ann",
        window("2026-11-20T12:00:00Z", "2026-11-21T00:00:00Z"),
        undefined,
        10,
      );
      expect(rows.map((row) => [row.version, row.action])).to.deep.equal([["5", "DELETE"]]);
    });

    it("leaves a side open when its bound is left out", async () => {
      expect(await versionsInForce("ann", window("2026-11-16T00:00:00Z", undefined))).to.deep.equal(["7", "6", "5", "4", "3"]);
      expect(await versionsInForce("ann", window(undefined, "2026-11-06T00:00:00Z"))).to.deep.equal(["2", "1"]);
    });

    it("returns nothing for a window before the first revision or a customer without any", async () => {
      expect(await versionsInForce("ann", window("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z"))).to.deep.equal([]);
      expect(await versionsInForce("nobody", window("2026-11-16T00:00:00Z", undefined))).to.deep.equal([]);
    });

    it("pages by version, finding the revision in force at the start whatever the page", async () => {
      const week = window("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z");
      expect(await versionsInForce("ann", week, undefined, 2)).to.deep.equal(["6", "5"]);
      expect(await versionsInForce("ann", week, "5", 2)).to.deep.equal(["4", "3"]);
      expect(await versionsInForce("ann", week, "4", 2)).to.deep.equal(["3"]);
      expect(await versionsInForce("ann", week, "3", 2)).to.deep.equal([]);
    });

    it("of revisions stamped in the same millisecond, takes the higher version as in force", async () => {
      await insertRevisions("tie", [
        [1, "CREATE", "2026-11-01T09:00:00Z"],
        [2, "UPDATE", "2026-11-01T09:00:00Z"],
      ]);
      expect(await versionsInForce("tie", window("2026-11-02T00:00:00Z", undefined))).to.deep.equal(["2"]);
    });
  });

  describe("goalInForceAt", () => {
    const versionAt = async (instant: string) => (await goalInForceAt(database, "ann", new Date(instant)))?.version ?? null;

    it("returns the revision written last at or before the instant, none when the goal was deleted or not yet created", async () => {
      expect(await versionAt("2026-11-19T00:00:00Z")).to.equal("4");
      expect(await versionAt("2026-11-20T12:00:00Z")).to.equal(null);
      expect(await versionAt("2026-10-01T00:00:00Z")).to.equal(null);
      expect(await versionAt("2026-11-21T08:59:59.999Z")).to.equal(null);
      expect(await versionAt("2026-11-21T09:00:00Z")).to.equal("6");
      expect(await versionAt("2030-01-01T00:00:00Z")).to.equal("7");
    });
  });

  describe("cost", () => {
    /** Rows the storage engine handed over for `read`, on one connection. */
    async function handlerReads(read: (session: Transaction) => Promise<unknown>): Promise<number> {
      const total = async (session: Transaction) => {
        const rows: { Variable_name: string; Value: string }[] = await session.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
        return rows.reduce((sum, row) => sum + Number(row.Value), 0);
      };
      return database.transaction(async (session) => {
        const before = await total(session);
        await read(session);
        return (await total(session)) - before;
      }, callScope().signal);
    }

    it("does not grow with the revisions older than the window", async () => {
      const oldRevisions = (count: number): Revision[] =>
        Array.from({ length: count }, (_, index) => [
          index + 1,
          "UPDATE",
          new Date(Date.UTC(2025, 0, 1) + index * 60000).toISOString(),
        ]);
      const recent = (from: number): Revision[] => [
        [from, "UPDATE", "2026-11-10T09:00:00Z"],
        [from + 1, "UPDATE", "2026-11-18T09:00:00Z"],
      ];
      await insertRevisions("short", [...oldRevisions(3), ...recent(4)]);
      await insertRevisions("long", [...oldRevisions(3000), ...recent(3001)]);
      await database.query("ANALYZE TABLE goal_revisions");

      const week = window("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z");
      const at = new Date("2026-11-19T00:00:00Z");
      for (const read of [
        (session: Transaction, customerId: string) => goalRevisionsInForce(session, customerId, week, undefined, 1000),
        (session: Transaction, customerId: string) => goalInForceAt(session, customerId, at),
      ]) {
        const short = await handlerReads((session) => read(session, "short"));
        const long = await handlerReads((session) => read(session, "long"));
        // With a handful of revisions the optimizer may as well read them all by primary key.
        expect(long).to.be.at.most(short);
        expect(short).to.be.below(20);
      }
      expect(await versionsInForce("long", week)).to.deep.equal(["3002", "3001"]);
    });
  });
});
