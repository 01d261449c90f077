import { status } from "@grpc/grpc-js";
import { GoalKind } from "@mealplan/client";
import { expect } from "chai";
import type { Connection } from "mysql2/promise";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { failureOf } from "../harness/statusDetails.js";
import { openTestConnection, queryRows, waitForLockWaits } from "../harness/testDatabase.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A call that ends early (the caller cancels, or its deadline passes) while
 * its transaction waits for a row lock must leave nothing behind: once the
 * lock is free, the abandoned update must not run. The control lets the same
 * call wait, and its update lands: without the cancellation reaching the
 * transaction, the cancelled call would have changed the goal too.
 */
describe("goals: a call that ends early stops its transaction", () => {
  let fixture: GoalsFixture;
  let locker: Connection;

  before(async () => {
    fixture = await startGoalsFixture();
    locker = await openTestConnection(fixture.database);
  });
  after(async () => {
    await locker.end();
    await fixture.stop();
  });

  const goal = (customerId: string, dailyCalories: number) => ({
    customerId,
    dailyCalories,
    kind: GoalKind.GOAL_KIND_DIET,
    description: "",
    version: "0",
    etag: "",
  });

  /** Starts an update of `customerId` that waits for the row lock `locker` holds; resolves once it waits. */
  async function blockedUpdate(customerId: string, options: { signal?: AbortSignal; timeoutMs: number }) {
    await fixture.goals.createGoal({ customerId, goal: goal(customerId, 2000), requestId: "" });
    await locker.beginTransaction();
    await locker.query("SELECT * FROM goals WHERE customer_id = ? FOR UPDATE", [customerId]);
    const update = fixture.goals.updateGoal(
      { goal: goal(customerId, 1500), updateMask: ["daily_calories"] },
      { signal: options.signal, deadline: Date.now() + options.timeoutMs },
    );
    update.catch(() => undefined);
    await waitForLockWaits(fixture.db, 1);
    return { update };
  }

  async function storedGoal(customerId: string) {
    const [row] = await queryRows<{ daily_calories: number; version: string }>(
      fixture.db,
      "SELECT daily_calories, version FROM goals WHERE customer_id = ?",
      [customerId],
    );
    const revisions = await queryRows(fixture.db, "SELECT version FROM goal_revisions WHERE customer_id = ?", [customerId]);
    return { dailyCalories: row.daily_calories, version: String(row.version), revisions: revisions.length };
  }

  const loggedCode = (customerId: string) =>
    fixture.logs.filter((line) => line.event === "call" && line.customer_id === customerId).at(-1)?.code;

  it("cancelled by the caller: CANCELLED, and the update never happens", async () => {
    const caller = new AbortController();
    const { update } = await blockedUpdate("cancelled", { signal: caller.signal, timeoutMs: 10000 });
    caller.abort();
    expect((await failureOf(update)).code).to.equal(status.CANCELLED);
    await sleep(200);
    expect(loggedCode("cancelled")).to.equal("CANCELLED");
    await locker.commit();
    await sleep(300);
    expect(await storedGoal("cancelled")).to.deep.equal({ dailyCalories: 2000, version: "1", revisions: 1 });
  });

  it("deadline passed while waiting: DEADLINE_EXCEEDED, and the update never happens", async () => {
    const { update } = await blockedUpdate("late", { timeoutMs: 600 });
    expect((await failureOf(update)).code).to.equal(status.DEADLINE_EXCEEDED);
    await locker.commit();
    await sleep(300);
    expect(await storedGoal("late")).to.deep.equal({ dailyCalories: 2000, version: "1", revisions: 1 });
  });

  it("control: the same call left waiting makes its update once the lock is free", async () => {
    const { update } = await blockedUpdate("waited", { timeoutMs: 10000 });
    await locker.commit();
    expect((await update).goal?.dailyCalories).to.equal(1500);
    expect(await storedGoal("waited")).to.deep.equal({ dailyCalories: 1500, version: "2", revisions: 2 });
  });
});
