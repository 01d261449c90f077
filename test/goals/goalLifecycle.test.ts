import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { failureOf } from "../harness/statusDetails.js";
import { queryRows } from "../harness/testDatabase.js";

interface StoredGoal {
  daily_calories: number;
  kind: string;
  description: string;
  version: string;
  delete_time: Date | null;
}

describe("goals: create, get, update, delete", () => {
  let fixture: GoalsFixture;
  const storedGoal = async (customerId: string) =>
    (await queryRows<StoredGoal>(fixture.db, "SELECT * FROM goals WHERE customer_id = ?", [customerId]))[0];
  const storedVersions = async (customerId: string) =>
    (
      await queryRows<{ version: string }>(
        fixture.db,
        "SELECT version FROM goal_revisions WHERE customer_id = ? ORDER BY version",
        [customerId],
      )
    ).map((row) => row.version);
  const diet = (dailyCalories: number, description = "lose weight") => ({
    dailyCalories,
    kind: GoalKind.GOAL_KIND_DIET,
    description,
    version: "0",
    etag: "",
  });

  before(async () => {
    fixture = await startGoalsFixture();
  });
  after(() => fixture.stop());

  it("creates a goal at version 1 and returns it from GetGoal", async () => {
    const { goal } = await fixture.goals.createGoal({
      customerId: "ann",
      goal: { customerId: "", ...diet(2000) },
      requestId: "",
    });
    expect(goal).to.include({ customerId: "ann", dailyCalories: 2000, kind: GoalKind.GOAL_KIND_DIET, version: "1", etag: "v1" });
    expect(goal?.createTime).to.be.instanceOf(Date);
    const fetched = await fixture.goals.getGoal({ customerId: "ann" });
    expect(fetched.goal).to.deep.equal(goal);
    expect(await storedGoal("ann")).to.include({ daily_calories: 2000, kind: "DIET", description: "lose weight" });
    expect(await storedVersions("ann")).to.deep.equal(["1"]);
  });

  it("refuses a second goal with ALREADY_EXISTS and keeps the first", async () => {
    await fixture.goals.createGoal({ customerId: "bob", goal: { customerId: "", ...diet(2500) }, requestId: "" });
    const failure = await failureOf(
      fixture.goals.createGoal({ customerId: "bob", goal: { customerId: "", ...diet(1000) }, requestId: "" }),
    );
    expect(failure.code).to.equal(status.ALREADY_EXISTS);
    expect(failure.reason).to.equal("GOAL_ALREADY_EXISTS");
    expect(failure.domain).to.equal("goals.mealplan");
    expect(await storedGoal("bob")).to.include({ daily_calories: 2500 });
  });

  it("answers a retried create with the same request_id with the goal the first call made", async () => {
    const request = {
      customerId: "cy",
      goal: { customerId: "", ...diet(1800) },
      requestId: "6f1c2a9e-8d1b-4f6e-9a55-0c2d3e4f5a6b",
    };
    const first = await fixture.goals.createGoal(request);
    await fixture.goals.updateGoal({ goal: { ...diet(1700), customerId: "cy" }, updateMask: ["daily_calories"] });
    const retry = await fixture.goals.createGoal(request);
    expect(retry.goal).to.deep.equal(first.goal);
    const other = await failureOf(fixture.goals.createGoal({ ...request, requestId: "another-request" }));
    expect(other.code).to.equal(status.ALREADY_EXISTS);
    expect(await storedVersions("cy")).to.deep.equal(["1", "2"]);
  });

  it("answers GetGoal for an unknown customer with NOT_FOUND", async () => {
    const failure = await failureOf(fixture.goals.getGoal({ customerId: "nobody" }));
    expect(failure.code).to.equal(status.NOT_FOUND);
    expect(failure.reason).to.equal("GOAL_NOT_FOUND");
    expect(failure.metadata).to.deep.equal({ customer_id: "nobody" });
  });

  it("updates only the fields in the mask and bumps the version", async () => {
    await fixture.goals.createGoal({ customerId: "dee", goal: { customerId: "", ...diet(2000) }, requestId: "" });
    const { goal } = await fixture.goals.updateGoal({
      goal: { ...diet(1500, "ignored because not in the mask"), customerId: "dee" },
      updateMask: ["daily_calories"],
    });
    expect(goal).to.include({ dailyCalories: 1500, description: "lose weight", version: "2", etag: "v2" });
    expect(goal!.updateTime!.getTime()).to.be.greaterThan(goal!.createTime!.getTime() - 1);
    expect(await storedGoal("dee")).to.include({ daily_calories: 1500, description: "lose weight", version: "2" });
  });

  it("without a mask updates every populated field, and '*' replaces all of them", async () => {
    await fixture.goals.createGoal({ customerId: "eve", goal: { customerId: "", ...diet(2000) }, requestId: "" });
    const populated = await fixture.goals.updateGoal({
      goal: { customerId: "eve", dailyCalories: 0, kind: GoalKind.GOAL_KIND_WORKOUT, description: "", version: "0", etag: "" },
    });
    expect(populated.goal).to.include({ dailyCalories: 2000, kind: GoalKind.GOAL_KIND_WORKOUT, description: "lose weight" });
    const replaced = await fixture.goals.updateGoal({ goal: { ...diet(2200, ""), customerId: "eve" }, updateMask: ["*"] });
    expect(replaced.goal).to.include({ dailyCalories: 2200, kind: GoalKind.GOAL_KIND_DIET, description: "", version: "3" });
  });

  it("applies an update whose etag is current", async () => {
    const { goal } = await fixture.goals.createGoal({
      customerId: "fay",
      goal: { customerId: "", ...diet(2000) },
      requestId: "",
    });
    const updated = await fixture.goals.updateGoal({ goal: { ...diet(1900), customerId: "fay", etag: goal!.etag } });
    expect(updated.goal?.version).to.equal("2");
  });

  it("refuses an update with a stale etag with ABORTED and changes nothing", async () => {
    await fixture.goals.createGoal({ customerId: "gus", goal: { customerId: "", ...diet(2000) }, requestId: "" });
    await fixture.goals.updateGoal({ goal: { ...diet(1900), customerId: "gus" } });
    const failure = await failureOf(fixture.goals.updateGoal({ goal: { ...diet(100), customerId: "gus", etag: "v1" } }));
    expect(failure.code).to.equal(status.ABORTED);
    expect(failure.reason).to.equal("ETAG_MISMATCH");
    expect(failure.metadata).to.include({ expected_etag: "v1", current_etag: "v2" });
    expect(await storedGoal("gus")).to.include({ daily_calories: 1900, version: "2" });
    expect(await storedVersions("gus")).to.deep.equal(["1", "2"]);
  });

  it("answers an update of a missing goal with NOT_FOUND and writes nothing", async () => {
    const failure = await failureOf(fixture.goals.updateGoal({ goal: { ...diet(100), customerId: "nobody" } }));
    expect(failure.code).to.equal(status.NOT_FOUND);
    expect(await storedGoal("nobody")).to.equal(undefined);
  });

  it("deletes a goal, refusing a stale etag first, and keeps counting versions on re-create", async () => {
    await fixture.goals.createGoal({ customerId: "hal", goal: { customerId: "", ...diet(2000) }, requestId: "" });
    await fixture.goals.updateGoal({ goal: { ...diet(1900), customerId: "hal" } });
    const stale = await failureOf(fixture.goals.deleteGoal({ customerId: "hal", etag: "v1" }));
    expect(stale.code).to.equal(status.ABORTED);
    expect((await storedGoal("hal")).delete_time).to.equal(null);

    await fixture.goals.deleteGoal({ customerId: "hal", etag: "v2" });
    expect((await failureOf(fixture.goals.getGoal({ customerId: "hal" }))).code).to.equal(status.NOT_FOUND);
    expect((await failureOf(fixture.goals.deleteGoal({ customerId: "hal", etag: "" }))).code).to.equal(status.NOT_FOUND);
    expect((await storedGoal("hal")).delete_time).to.be.instanceOf(Date);

    const { goal } = await fixture.goals.createGoal({
      customerId: "hal",
      goal: { customerId: "", ...diet(1200) },
      requestId: "",
    });
    expect(goal).to.include({ version: "4", dailyCalories: 1200 });
    expect(await storedVersions("hal")).to.deep.equal(["1", "2", "3", "4"]);
  });
});
