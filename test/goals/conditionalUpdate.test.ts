import { status } from "@grpc/grpc-js";
import { GoalKind } from "@mealplan/client";
import { expect } from "chai";
import type { Connection } from "mysql2/promise";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { failureOf } from "../harness/statusDetails.js";
import { openTestConnection, queryRows, waitForLockWaits } from "../harness/testDatabase.js";

interface StoredGoal {
  daily_calories: number;
  description: string;
  version: string;
}

/**
 * UpdateGoal and DeleteGoal no longer read the goal with SELECT ... FOR UPDATE
 * before writing it: one version-conditional UPDATE changes only the fields
 * asked for, on the latest committed row, and its affected rows decide. These
 * tests force the interleaving that would lose an update if the write were
 * computed from a read taken before the row lock: another writer holds the
 * row and commits a change while the service's write waits for it.
 */
describe("goals: conditional UPDATE, the write that waits for a row lock", () => {
  let fixture: GoalsFixture;
  let locker: Connection;
  let observer: Connection;
  const storedGoal = async (customerId: string) =>
    (
      await queryRows<StoredGoal>(fixture.db, "SELECT daily_calories, description, version FROM goals WHERE customer_id = ?", [
        customerId,
      ])
    )[0];
  const revisions = async (customerId: string) =>
    await queryRows<{ version: string; action: string; daily_calories: number; description: string }>(
      fixture.db,
      "SELECT version, action, daily_calories, description FROM goal_revisions WHERE customer_id = ? ORDER BY version",
      [customerId],
    );
  const createGoal = (customerId: string) =>
    fixture.goals.createGoal({
      customerId,
      goal: { customerId, dailyCalories: 2000, kind: GoalKind.GOAL_KIND_DIET, description: "start", version: "0", etag: "" },
      requestId: "",
    });
  /** Another writer's change of the description to version 2, left uncommitted: the row stays locked until `locker.commit()`. */
  const holdRowWithChange = async (customerId: string) => {
    await locker.beginTransaction();
    await locker.query("SELECT * FROM goals WHERE customer_id = ? FOR UPDATE", [customerId]);
    await locker.query("UPDATE goals SET description = 'theirs', version = 2 WHERE customer_id = ?", [customerId]);
    await locker.query(
      `INSERT INTO goal_revisions (customer_id, version, action, daily_calories, kind, description, goal_create_time, revision_time)
       SELECT customer_id, version, 'UPDATE', daily_calories, kind, description, create_time, NOW(3) FROM goals WHERE customer_id = ?`,
      [customerId],
    );
  };
  const updateCalories = (customerId: string, dailyCalories: number, etag = "") =>
    fixture.goals.updateGoal({
      goal: { customerId, dailyCalories, kind: 0, description: "", version: "0", etag },
      updateMask: ["daily_calories"],
    });

  before(async () => {
    fixture = await startGoalsFixture();
    locker = await openTestConnection(fixture.database);
    observer = await openTestConnection(fixture.database);
  });
  after(async () => {
    await locker.end();
    await observer.end();
    await fixture.stop();
  });

  it("control: a write computed from the row read before the lock overwrites the change it waited for", async () => {
    await createGoal("ctl");
    const [before] = await queryRows<StoredGoal>(fixture.db, "SELECT * FROM goals WHERE customer_id = 'ctl'");
    await holdRowWithChange("ctl");
    const writer = await openTestConnection(fixture.database);
    try {
      // What a read-modify-write without a row lock or a version condition sends: every column from its own read.
      const blindWrite = writer.query(
        "UPDATE goals SET daily_calories = ?, description = ?, version = ? WHERE customer_id = 'ctl'",
        [1500, before.description, Number(before.version) + 1],
      );
      await waitForLockWaits(observer, 1);
      await locker.commit();
      await blindWrite;
    } finally {
      await writer.end();
    }
    expect(await storedGoal("ctl")).to.include({ daily_calories: 1500, description: "start", version: "2" });
  });

  it("without an etag, builds on the version committed while it waited, keeping that change", async () => {
    await createGoal("waits");
    await holdRowWithChange("waits");
    const update = updateCalories("waits", 1500);
    update.catch(() => undefined);
    await waitForLockWaits(observer, 1);
    await locker.commit();

    const { goal } = await update;
    expect(goal).to.include({ dailyCalories: 1500, description: "theirs", version: "3", etag: "v3" });
    expect(await storedGoal("waits")).to.include({ daily_calories: 1500, description: "theirs", version: "3" });
    expect(await revisions("waits")).to.deep.equal([
      { version: "1", action: "CREATE", daily_calories: 2000, description: "start" },
      { version: "2", action: "UPDATE", daily_calories: 2000, description: "theirs" },
      { version: "3", action: "UPDATE", daily_calories: 1500, description: "theirs" },
    ]);
  });

  it("with the etag it read, is refused once the row moved while it waited: the current etag, nothing written", async () => {
    const { goal: created } = await createGoal("stale");
    await holdRowWithChange("stale");
    const update = failureOf(updateCalories("stale", 1500, created!.etag));
    await waitForLockWaits(observer, 1);
    await locker.commit();

    const failure = await update;
    expect(failure.code).to.equal(status.ABORTED);
    expect(failure.reason).to.equal("ETAG_MISMATCH");
    expect(failure.metadata).to.include({ expected_etag: "v1", current_etag: "v2" });
    expect(await storedGoal("stale")).to.include({ daily_calories: 2000, description: "theirs", version: "2" });
    expect((await revisions("stale")).map((revision) => revision.version)).to.deep.equal(["1", "2"]);
  });

  it("a delete with a stale etag answers with the current etag and deletes nothing", async () => {
    await createGoal("keep");
    await updateCalories("keep", 1800);
    const failure = await failureOf(fixture.goals.deleteGoal({ customerId: "keep", etag: "v1" }));
    expect(failure.code).to.equal(status.ABORTED);
    expect(failure.metadata).to.include({ expected_etag: "v1", current_etag: "v2" });
    const [row] = await queryRows<{ delete_time: Date | null; version: string }>(
      fixture.db,
      "SELECT delete_time, version FROM goals WHERE customer_id = 'keep'",
    );
    expect(row).to.deep.equal({ delete_time: null, version: "2" });
    expect((await revisions("keep")).map((revision) => revision.version)).to.deep.equal(["1", "2"]);
  });

  it("concurrent updates without etags each get their own version and revision", async () => {
    await createGoal("many");
    const writers = 12;
    const answers = await Promise.all(
      Array.from({ length: writers }, (_, index) => updateCalories("many", 1000 + index).then(({ goal }) => goal!)),
    );
    const versions = answers.map((goal) => Number(goal.version)).sort((a, b) => a - b);
    expect(versions).to.deep.equal(Array.from({ length: writers }, (_, index) => index + 2));
    const recorded = await revisions("many");
    expect(recorded.map((revision) => Number(revision.version))).to.deep.equal(
      Array.from({ length: writers + 1 }, (_, i) => i + 1),
    );
    // Each answer is the goal its own revision recorded.
    for (const goal of answers) {
      expect(recorded.find((revision) => revision.version === goal.version)?.daily_calories).to.equal(goal.dailyCalories);
    }
  });
});
