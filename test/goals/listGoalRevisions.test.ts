import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { GoalKind, RevisionAction } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { failureOf } from "../harness/statusDetails.js";

describe("goals: ListGoalRevisions", () => {
  let fixture: GoalsFixture;
  const goal = (dailyCalories: number) => ({
    customerId: "",
    dailyCalories,
    kind: GoalKind.GOAL_KIND_DIET,
    description: "",
    version: "0",
    etag: "",
  });

  /** Gives `customerId` a goal with versions 1..count (calories 1001, 1002, ...). */
  async function goalWithVersions(customerId: string, count: number) {
    await fixture.goals.createGoal({ customerId, goal: goal(1001), requestId: "" });
    for (let version = 2; version <= count; version++) {
      await fixture.goals.updateGoal({ goal: { ...goal(1000 + version), customerId } });
    }
  }

  async function allPages(customerId: string, pageSize: number) {
    const pages: string[][] = [];
    let pageToken = "";
    do {
      const response = await fixture.goals.listGoalRevisions({ customerId, pageSize, pageToken });
      pages.push(response.revisions.map((revision) => revision.goal!.version));
      pageToken = response.nextPageToken;
    } while (pageToken !== "");
    return pages;
  }

  before(async () => {
    fixture = await startGoalsFixture();
    await goalWithVersions("seven", 7);
    await goalWithVersions("six", 6);
  });
  after(() => fixture.stop());

  it("lists every version newest first, with what each revision did", async () => {
    const { revisions, nextPageToken } = await fixture.goals.listGoalRevisions({
      customerId: "seven",
      pageSize: 0,
      pageToken: "",
    });
    expect(revisions.map((revision) => revision.goal!.version)).to.deep.equal(["7", "6", "5", "4", "3", "2", "1"]);
    expect(revisions.map((revision) => revision.goal!.dailyCalories)).to.deep.equal([1007, 1006, 1005, 1004, 1003, 1002, 1001]);
    expect(revisions.at(-1)!.action).to.equal(RevisionAction.REVISION_ACTION_CREATE);
    expect(revisions[0].action).to.equal(RevisionAction.REVISION_ACTION_UPDATE);
    expect(revisions[0].goal!.etag).to.equal("v7");
    expect(nextPageToken).to.equal("");
  });

  it("pages through without gaps or repeats, ending with an empty token", async () => {
    expect(await allPages("seven", 3)).to.deep.equal([["7", "6", "5"], ["4", "3", "2"], ["1"]]);
  });

  it("does not return an empty last page when the size divides the count", async () => {
    expect(await allPages("six", 3)).to.deep.equal([
      ["6", "5", "4"],
      ["3", "2", "1"],
    ]);
  });

  it("pages with size 1 and with a size above the maximum", async () => {
    expect((await allPages("six", 1)).length).to.equal(6);
    expect(await allPages("six", 5000)).to.deep.equal([["6", "5", "4", "3", "2", "1"]]);
  });

  it("records a delete as a revision", async () => {
    await goalWithVersions("gone", 2);
    await fixture.goals.deleteGoal({ customerId: "gone", etag: "" });
    const { revisions } = await fixture.goals.listGoalRevisions({ customerId: "gone", pageSize: 0, pageToken: "" });
    expect(revisions[0]).to.deep.include({ action: RevisionAction.REVISION_ACTION_DELETE });
    expect(revisions[0].goal).to.include({ version: "3", dailyCalories: 1002 });
  });

  it("answers NOT_FOUND for a customer who never had a goal", async () => {
    const failure = await failureOf(fixture.goals.listGoalRevisions({ customerId: "never", pageSize: 0, pageToken: "" }));
    expect(failure.code).to.equal(status.NOT_FOUND);
  });

  it("refuses a negative page size, a forged token and another customer's token", async () => {
    const negative = await failureOf(fixture.goals.listGoalRevisions({ customerId: "six", pageSize: -1, pageToken: "" }));
    expect(negative.code).to.equal(status.INVALID_ARGUMENT);
    expect(negative.fieldViolations[0].field).to.equal("page_size");

    const forged = await failureOf(fixture.goals.listGoalRevisions({ customerId: "six", pageSize: 2, pageToken: "not-a-token" }));
    expect(forged.code).to.equal(status.INVALID_ARGUMENT);
    expect(forged.fieldViolations[0].field).to.equal("page_token");

    const { nextPageToken } = await fixture.goals.listGoalRevisions({ customerId: "seven", pageSize: 2, pageToken: "" });
    const foreign = await failureOf(
      fixture.goals.listGoalRevisions({ customerId: "six", pageSize: 2, pageToken: nextPageToken }),
    );
    expect(foreign.code).to.equal(status.INVALID_ARGUMENT);
    expect(foreign.fieldViolations[0].field).to.equal("page_token");
  });
});
