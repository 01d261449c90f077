import { expect } from "chai";
import { GoalKind, type Goal } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { startGoalsFixture, type GoalsFixture } from "../harness/goalsFixture.js";
import { itRefusesEach, type BadInputCase } from "../harness/itRefusesEach.js";
import { failureOf } from "../harness/statusDetails.js";
import { queryRows } from "../harness/testDatabase.js";

const validGoal: Goal = {
  customerId: "",
  dailyCalories: 2000,
  kind: GoalKind.GOAL_KIND_DIET,
  description: "lose weight",
  version: "0",
  etag: "",
};

const cases: BadInputCase<GoalsFixture>[] = [
  ["an empty customer_id", (f) => f.goals.createGoal({ customerId: "", goal: validGoal, requestId: "" }), "customer_id"],
  ["a customer_id with a space", (f) => f.goals.createGoal({ customerId: "a b", goal: validGoal, requestId: "" }), "customer_id"],
  [
    "a 65-character customer_id",
    (f) => f.goals.createGoal({ customerId: "x".repeat(65), goal: validGoal, requestId: "" }),
    "customer_id",
  ],
  ["a customer_id with a slash", (f) => f.goals.getGoal({ customerId: "a/b" }), "customer_id"],
  [
    "zero daily_calories",
    (f) => f.goals.createGoal({ customerId: "c", goal: { ...validGoal, dailyCalories: 0 }, requestId: "" }),
    "goal.daily_calories",
  ],
  [
    "negative daily_calories",
    (f) => f.goals.createGoal({ customerId: "c", goal: { ...validGoal, dailyCalories: -5 }, requestId: "" }),
    "goal.daily_calories",
  ],
  [
    "50001 daily_calories",
    (f) => f.goals.createGoal({ customerId: "c", goal: { ...validGoal, dailyCalories: 50001 }, requestId: "" }),
    "goal.daily_calories",
  ],
  [
    "no kind",
    (f) => f.goals.createGoal({ customerId: "c", goal: { ...validGoal, kind: GoalKind.GOAL_KIND_UNSPECIFIED }, requestId: "" }),
    "goal.kind",
  ],
  [
    "an unknown kind number",
    (f) => f.goals.createGoal({ customerId: "c", goal: { ...validGoal, kind: 9 as GoalKind }, requestId: "" }),
    "goal.kind",
  ],
  [
    "a 501-character description",
    (f) => f.goals.createGoal({ customerId: "c", goal: { ...validGoal, description: "d".repeat(501) }, requestId: "" }),
    "goal.description",
  ],
  [
    "a request_id with spaces",
    (f) => f.goals.createGoal({ customerId: "c", goal: validGoal, requestId: "not a key" }),
    "request_id",
  ],
  ["no goal at all", (f) => f.goals.createGoal({ customerId: "c", requestId: "" }), "goal.daily_calories"],
  [
    "an update naming an unknown field",
    (f) => f.goals.updateGoal({ goal: { ...validGoal, customerId: "c" }, updateMask: ["version"] }),
    "update_mask",
  ],
  [
    "an update with nothing to change",
    (f) => f.goals.updateGoal({ goal: { ...validGoal, customerId: "c", dailyCalories: 0, kind: 0, description: "" } }),
    "update_mask",
  ],
  [
    "an update of a masked field to an invalid value",
    (f) => f.goals.updateGoal({ goal: { ...validGoal, customerId: "c", dailyCalories: 0 }, updateMask: ["daily_calories"] }),
    "goal.daily_calories",
  ],
  ["an update without a customer", (f) => f.goals.updateGoal({ goal: validGoal }), "goal.customer_id"],
  [
    "a malformed etag on update",
    (f) => f.goals.updateGoal({ goal: { ...validGoal, customerId: "c", etag: "W/7" } }),
    "goal.etag",
  ],
  ["a malformed etag on delete", (f) => f.goals.deleteGoal({ customerId: "c", etag: "v0" }), "etag"],
  [
    "a bad customer_id when listing",
    (f) => f.goals.listGoalRevisions({ customerId: "", pageSize: 0, pageToken: "" }),
    "customer_id",
  ],
];

describe("goals: bad input", () => {
  let fixture: GoalsFixture;
  before(async () => {
    fixture = await startGoalsFixture();
  });
  after(() => fixture.stop());

  itRefusesEach(cases, () => fixture, "goals.mealplan");

  it("names every bad field of one request", async () => {
    const failure = await failureOf(
      fixture.goals.createGoal({ customerId: "", goal: { ...validGoal, dailyCalories: 0, kind: 0 }, requestId: "" }),
    );
    expect(failure.fieldViolations.map((violation) => violation.field)).to.have.members([
      "customer_id",
      "goal.daily_calories",
      "goal.kind",
    ]);
  });

  it("wrote nothing for any of them", async () => {
    expect(await queryRows(fixture.db, "SELECT * FROM goals")).to.deep.equal([]);
    expect(await queryRows(fixture.db, "SELECT * FROM goal_revisions")).to.deep.equal([]);
  });
});
