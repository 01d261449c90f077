import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { GoalKind, RevisionAction } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { writePastGoalHistory } from "../../tools/verify/pastGoalHistory.js";
import { failureOf } from "../harness/statusDetails.js";
import { queryRows } from "../harness/testDatabase.js";

describe("goals: the goal in force at an instant and over a window", () => {
  let fixture: GoalsFixture;
  before(async () => {
    fixture = await startGoalsFixture();
    // Created at 2,400, lowered to 1,800 on Wednesday, deleted on Friday, created again at 1,500 on Saturday.
    await writePastGoalHistory(fixture.db, "ann", [
      { at: "2026-11-02T09:00:00Z", action: "CREATE", dailyCalories: 2400 },
      { at: "2026-11-18T09:00:00Z", action: "UPDATE", dailyCalories: 1800 },
      { at: "2026-11-20T09:00:00Z", action: "DELETE" },
      { at: "2026-11-21T09:00:00Z", action: "CREATE", dailyCalories: 1500 },
    ]);
  });
  after(() => fixture.stop());

  const asOf = (customerId: string, instant: string) => fixture.goals.getGoal({ customerId, asOf: new Date(instant) });
  const windowOf = (start?: string, end?: string, pageSize = 0, pageToken = "") =>
    fixture.goals.listGoalRevisions({
      customerId: "ann",
      pageSize,
      pageToken,
      inForceStartTime: start === undefined ? undefined : new Date(start),
      inForceEndTime: end === undefined ? undefined : new Date(end),
    });
  const versions = (response: Awaited<ReturnType<typeof windowOf>>) =>
    response.revisions.map((revision) => revision.goal!.version);

  describe("GetGoal with as_of", () => {
    it("returns the goal as the revision in force then left it, with its version, etag and time", async () => {
      const { goal } = await asOf("ann", "2026-11-19T00:00:00Z");
      expect(goal).to.include({ dailyCalories: 1800, version: "2", etag: "v2" });
      expect(goal!.updateTime!.toISOString()).to.equal("2026-11-18T09:00:00.000Z");
      expect(goal!.createTime!.toISOString()).to.equal("2026-11-02T09:00:00.000Z");
      expect((await asOf("ann", "2026-11-18T08:59:59.999Z")).goal).to.include({ version: "1", dailyCalories: 2400 });
      expect((await asOf("ann", "2026-11-21T09:00:00Z")).goal).to.include({ version: "4", dailyCalories: 1500 });
    });

    it("answers NOT_FOUND before the goal was created and while it was deleted", async () => {
      for (const instant of ["2026-11-02T08:59:59.999Z", "2026-11-20T09:00:00Z", "2026-11-21T08:59:59.999Z"]) {
        const failure = await failureOf(asOf("ann", instant));
        expect(failure.code, instant).to.equal(status.NOT_FOUND);
        expect(failure.reason).to.equal("GOAL_NOT_FOUND");
        expect(failure.message).to.contain(`had no goal at ${new Date(instant).toISOString()}`);
      }
      expect((await failureOf(asOf("nobody", "2026-11-19T00:00:00Z"))).code).to.equal(status.NOT_FOUND);
    });

    it("gives the current goal for an instant still to come", async () => {
      const { goal } = await asOf("ann", "2099-01-01T00:00:00Z");
      expect(goal).to.include({ version: "4", dailyCalories: 1500 });
    });

    it("finds no goal at an instant before any revision could be written, and refuses one outside the Timestamp range", async () => {
      const before1970 = await failureOf(fixture.goals.getGoal({ customerId: "ann", asOf: new Date("1969-12-31T23:59:59Z") }));
      expect(before1970.code).to.equal(status.NOT_FOUND);
      const beforeYear1 = await failureOf(fixture.goals.getGoal({ customerId: "ann", asOf: new Date("0000-06-01T00:00:00Z") }));
      expect(beforeYear1.code).to.equal(status.INVALID_ARGUMENT);
      expect(beforeYear1.fieldViolations.map((violation) => violation.field)).to.deep.equal(["as_of"]);
    });
  });

  describe("ListGoalRevisions with an in-force window", () => {
    it("lists the revision in force at the start and every one written inside, newest first", async () => {
      const week = await windowOf("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z");
      expect(versions(week)).to.deep.equal(["4", "3", "2", "1"]);
      expect(week.revisions.map((revision) => revision.action)).to.deep.equal([
        RevisionAction.REVISION_ACTION_CREATE,
        RevisionAction.REVISION_ACTION_DELETE,
        RevisionAction.REVISION_ACTION_UPDATE,
        RevisionAction.REVISION_ACTION_CREATE,
      ]);
      expect(week.revisions[0].revisionTime!.toISOString()).to.equal("2026-11-21T09:00:00.000Z");
      expect(versions(await windowOf("2026-11-20T12:00:00Z", "2026-11-21T00:00:00Z"))).to.deep.equal(["3"]);
      expect(versions(await windowOf(undefined, "2026-11-03T00:00:00Z"))).to.deep.equal(["1"]);
      expect(versions(await windowOf("2026-11-19T00:00:00Z"))).to.deep.equal(["4", "3", "2"]);
    });

    it("answers an empty list for a window before the first revision, NOT_FOUND for a customer who never had a goal", async () => {
      const before = await windowOf("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z");
      expect(before).to.deep.equal({ revisions: [], nextPageToken: "" });
      const failure = await failureOf(
        fixture.goals.listGoalRevisions({
          customerId: "nobody",
          pageSize: 0,
          pageToken: "",
          inForceStartTime: new Date("2026-10-01T00:00:00Z"),
        }),
      );
      expect(failure.code).to.equal(status.NOT_FOUND);
    });

    it("pages within the window, and refuses a token with another window", async () => {
      const first = await windowOf("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", 3);
      expect(versions(first)).to.deep.equal(["4", "3", "2"]);
      const second = await windowOf("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", 3, first.nextPageToken);
      expect(versions(second)).to.deep.equal(["1"]);
      expect(second.nextPageToken).to.equal("");
      for (const other of [
        windowOf("2026-11-17T00:00:00Z", "2026-11-23T00:00:00Z", 3, first.nextPageToken),
        windowOf(undefined, undefined, 3, first.nextPageToken),
      ]) {
        const failure = await failureOf(other);
        expect(failure.code).to.equal(status.INVALID_ARGUMENT);
        expect(failure.fieldViolations.map((violation) => violation.field)).to.deep.equal(["page_token"]);
      }
    });

    it("refuses a window whose end is not after its start, naming in_force_end_time", async () => {
      for (const [start, end] of [
        ["2026-11-16T00:00:00Z", "2026-11-16T00:00:00Z"],
        ["2026-11-16T00:00:00Z", "2026-11-15T00:00:00Z"],
      ]) {
        const failure = await failureOf(windowOf(start, end));
        expect(failure.code).to.equal(status.INVALID_ARGUMENT);
        expect(failure.fieldViolations.map((violation) => violation.field)).to.deep.equal(["in_force_end_time"]);
      }
    });

    it("takes a window that starts before 1970 (a day that began before the epoch east of UTC) as starting then", async () => {
      const fromEpoch = versions(await windowOf("1970-01-01T00:00:00Z", "2026-11-23T00:00:00Z", 100));
      expect(versions(await windowOf("1960-01-01T00:00:00Z", "2026-11-23T00:00:00Z", 100))).to.deep.equal(fromEpoch);
    });
  });

  describe("revision times", () => {
    const revisionTimes = async (customerId: string) =>
      (
        await queryRows<{ revision_time: Date }>(
          fixture.db,
          "SELECT revision_time FROM goal_revisions WHERE customer_id = ? ORDER BY version",
          [customerId],
        )
      ).map((row) => row.revision_time.getTime());

    it("never go backwards, also when the replica that wrote the last one had its clock ahead", async () => {
      const ahead = new Date(Date.now() + 60_000);
      // Another goals replica, its clock a minute ahead of this one's, wrote version 1.
      await writePastGoalHistory(fixture.db, "skewed", [{ at: ahead, action: "CREATE", dailyCalories: 2000 }]);
      const goal = {
        customerId: "skewed",
        dailyCalories: 1900,
        kind: GoalKind.GOAL_KIND_DIET,
        description: "",
        version: "0",
        etag: "",
      };
      const updated = (await fixture.goals.updateGoal({ goal, updateMask: ["daily_calories"] })).goal!;
      expect(updated.updateTime!.getTime()).to.equal(ahead.getTime());
      await fixture.goals.deleteGoal({ customerId: "skewed", etag: "" });
      await fixture.goals.createGoal({ customerId: "skewed", goal, requestId: "" });
      const times = await revisionTimes("skewed");
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
      expect(times).to.have.length(4);
      // In force from its own time on: as_of the skewed instant sees the newest of the versions stamped then.
      expect((await asOf("skewed", ahead.toISOString())).goal?.version).to.equal("4");
    });
  });
});
