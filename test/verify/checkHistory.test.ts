import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { checkHistory } from "../../tools/verify/checkHistory.js";
import type { CheckResult } from "../../tools/verify/CheckResult.js";
import type { History } from "../../tools/verify/History.js";
import type { StatsDay } from "../../tools/verify/History.js";
import { HistoryBuilder, STARTED_AT, TODAY, withGoalLowered, withSettledGoal, YESTERDAY } from "./historyBuilder.js";

const WITHIN_GOAL = 1;
const VERSION_CURRENT = 2;
const NO_LOST_UPDATE = 3;
const CONSUMED_CALORIES = 4;
const ALLOWED_ERRORS = 5;
const DAY_GOALS = 6;
const ONE_INSTANT = 7;

function resultOf(history: History, check: number): CheckResult {
  return checkHistory(history)[check - 1];
}

/** The explanations of the violations one check found. */
function violationsOf(history: History, check: number): string[] {
  return resultOf(history, check).violations.map((violation) => violation.explanation);
}

const eatenOn = (day: string) => `${day}T08:00:00.000Z`;

const summary = (goalVersion: number, dailyCalories: number, consumedCalories: number, mealCount: number) => ({
  goalVersion,
  dailyCalories,
  consumedCalories,
  remainingCalories: dailyCalories - consumedCalories,
  mealCount,
});

const recommendation = (goalVersion: number, dailyCalories: number, consumedCalories: number, meals: [string, number][]) => ({
  goalVersion,
  dailyCalories,
  consumedCalories,
  remainingCalories: dailyCalories - consumedCalories,
  recommendations: meals.map(([mealId, calories]) => ({ mealId, name: `meal ${mealId}`, calories })),
});

describe("verify: the history checker", () => {
  describe("an honest history", () => {
    it("passes every check, with the calls counted", () => {
      const builder = new HistoryBuilder();
      builder.error("RecommendMeals", [-40, -35], { maxResults: 5 }, status.FAILED_PRECONDITION, "GOAL_NOT_SET");
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      builder.error("CreateGoal", [-29, -19], { dailyCalories: 2500 }, status.ALREADY_EXISTS, "GOAL_ALREADY_EXISTS");
      builder.ok("CreateMeal", [0, 10], { calories: 300, eatenTime: eatenOn(TODAY) }, { mealId: "1", calories: 300, version: 1 });
      builder.ok("GetGoal", [11, 12], {}, { version: 1, dailyCalories: 2000 });
      builder.ok("UpdateGoal", [13, 20], { dailyCalories: 1800, expectedVersion: 1 }, { version: 2, dailyCalories: 1800 });
      // Overlaps the goal update: either version will do.
      builder.ok("RecommendMeals", [15, 25], { maxResults: 5 }, recommendation(1, 2000, 300, [["1", 300]]));
      builder.ok("GetDailySummary", [21, 30], { day: TODAY }, summary(2, 1800, 300, 1));
      builder.ok("UpdateMeal", [31, 40], { mealId: "1", calories: 700 }, { mealId: "1", calories: 700, version: 2 });
      builder.ok("GetDailySummary", [35, 45], { day: TODAY }, summary(2, 1800, 300, 1));
      builder.ok("GetDailySummary", [36, 46], { day: TODAY }, summary(2, 1800, 700, 1));
      builder.error("UpdateMeal", [50, 60], { mealId: "1", calories: 900, expectedVersion: 1 }, status.ABORTED, "ETAG_MISMATCH");
      builder.ok("DeleteMeal", [61, 70], { mealId: "1" }, {});
      builder.error("DeleteMeal", [62, 71], { mealId: "1" }, status.NOT_FOUND, "MEAL_NOT_FOUND");
      builder.ok("GetDailySummary", [72, 80], { day: TODAY }, summary(2, 1800, 0, 0));
      withGoalLowered(builder);

      const results = checkHistory(builder.build());
      expect(results.map((result) => result.violations.map((violation) => violation.explanation))).to.deep.equal([
        [],
        [],
        [],
        [],
        [],
        [],
        [],
      ]);
      expect(results.map((result) => result.examined)).to.deep.equal([5, 7, 2, 5, 15, 0, 5]);
    });
  });

  describe("check 1: an answer within its goal", () => {
    it("catches a recommendation that reports the lowered goal's version with the old goal's calories (seed case 1)", () => {
      const builder = new HistoryBuilder();
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      builder.ok("UpdateGoal", [0, 10], { dailyCalories: 1500 }, { version: 2, dailyCalories: 1500 });
      builder.ok("RecommendMeals", [5, 15], { maxResults: 5 }, recommendation(2, 2000, 1200, [["7", 700]]));
      builder.goalHistory(
        [
          { version: 1, dailyCalories: 2000, action: "CREATE" },
          { version: 2, dailyCalories: 1500, action: "UPDATE" },
        ],
        { version: 2, dailyCalories: 1500 },
      );
      const [violation] = violationsOf(builder.build(), WITHIN_GOAL);
      expect(violation).to.contain("reports daily_calories 2000 for goal version 2, which had 1500");
      expect(violation).to.contain("consumed 1200 + 700 = 1900 > daily_calories 1500 of goal version 2");
    });

    it("catches a recommended meal that no longer fits (seed case 2)", () => {
      const builder = withSettledGoal(new HistoryBuilder(), 2000);
      builder.ok(
        "RecommendMeals",
        [0, 10],
        { maxResults: 5 },
        recommendation(1, 2000, 1800, [
          ["3", 150],
          ["4", 400],
        ]),
      );
      expect(violationsOf(builder.build(), WITHIN_GOAL)).to.deep.equal([
        'recommends "meal 4" (meal 4, 400 kcal): consumed 1800 + 400 = 2200 > daily_calories 2000 of goal version 1',
      ]);
    });

    it("catches remaining calories that are not daily minus consumed", () => {
      const builder = withSettledGoal(new HistoryBuilder(), 2000);
      builder.ok("GetDailySummary", [0, 10], { day: TODAY }, { ...summary(1, 2000, 500, 1), remainingCalories: 2000 });
      expect(violationsOf(builder.build(), WITHIN_GOAL)).to.deep.equal([
        "remaining_calories 2000 is not daily_calories 2000 - consumed_calories 500",
      ]);
    });

    it("lets a summary report more eaten than the goal: that is the customer's doing", () => {
      const builder = withSettledGoal(new HistoryBuilder(), 2000);
      builder.ok("GetDailySummary", [0, 10], { day: TODAY }, summary(1, 2000, 2600, 3));
      expect(violationsOf(builder.build(), WITHIN_GOAL)).to.deep.equal([]);
    });
  });

  describe("check 2: the goal version was current inside the call", () => {
    const twoVersions = () => {
      const builder = new HistoryBuilder();
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      return builder;
    };
    const finish = (builder: HistoryBuilder) =>
      builder
        .goalHistory(
          [
            { version: 1, dailyCalories: 2000, action: "CREATE" },
            { version: 2, dailyCalories: 1500, action: "UPDATE" },
          ],
          { version: 2, dailyCalories: 1500 },
        )
        .build();

    it("catches a summary under a goal version replaced before the call began (a stale read, seed case 1)", () => {
      const builder = twoVersions();
      builder.ok("UpdateGoal", [0, 10], { dailyCalories: 1500 }, { version: 2, dailyCalories: 1500 });
      const stale = builder.ok("GetDailySummary", [11, 20], { day: TODAY }, summary(1, 2000, 0, 0));
      const result = resultOf(finish(builder), VERSION_CURRENT);
      expect(result.violations.map((violation) => violation.explanation)).to.deep.equal([
        "saw goal version 1, but version 2 was acknowledged before the call began (stale read)",
      ]);
      expect(result.violations[0].calls.map((call) => call.id)).to.deep.equal([stale.id, 2]);
    });

    it("catches a version written by a call that began after the answer was in", () => {
      const builder = twoVersions();
      builder.ok("RecommendMeals", [0, 10], { maxResults: 5 }, recommendation(2, 1500, 0, []));
      builder.ok("UpdateGoal", [11, 20], { dailyCalories: 1500 }, { version: 2, dailyCalories: 1500 });
      expect(violationsOf(finish(builder), VERSION_CURRENT)).to.deep.equal([
        "saw goal version 2, but version 2 was written by a call that began after this one ended",
      ]);
    });

    it("catches GOAL_NOT_SET after the goal's create was acknowledged", () => {
      const builder = twoVersions();
      builder.ok("UpdateGoal", [0, 10], { dailyCalories: 1500 }, { version: 2, dailyCalories: 1500 });
      builder.error("GetDailySummary", [11, 20], { day: TODAY }, status.FAILED_PRECONDITION, "GOAL_NOT_SET");
      expect(violationsOf(finish(builder), VERSION_CURRENT)).to.deep.equal([
        "saw no goal, but version 2 was acknowledged before the call began (stale read)",
      ]);
    });

    it("catches a version the goal never had", () => {
      const builder = twoVersions();
      builder.ok("GetGoal", [0, 10], {}, { version: 7, dailyCalories: 1500 });
      expect(violationsOf(finish(builder), VERSION_CURRENT)).to.deep.equal([
        "saw goal version 7, which the goal's revision history does not have",
      ]);
    });

    it("accepts either version from a call that overlaps the write, and any version after a write of unknown outcome", () => {
      const builder = twoVersions();
      builder.error("UpdateGoal", [0, 10], { dailyCalories: 1500 }, status.DEADLINE_EXCEEDED);
      builder.ok("GetGoal", [11, 12], {}, { version: 1, dailyCalories: 2000 });
      builder.ok("GetGoal", [13, 14], {}, { version: 2, dailyCalories: 1500 });
      builder.ok("RecommendMeals", [15, 30], { maxResults: 5 }, recommendation(1, 2000, 0, []));
      expect(violationsOf(finish(builder), VERSION_CURRENT)).to.deep.equal([]);
    });
  });

  describe("check 3: no lost goal update", () => {
    it("catches two acknowledged read-modify-writes that both built on version 1 (seed case 3)", () => {
      const builder = new HistoryBuilder();
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      builder.ok("UpdateGoal", [0, 10], { dailyCalories: 1990 }, { version: 2, dailyCalories: 1990 });
      builder.ok("UpdateGoal", [1, 11], { dailyCalories: 1990 }, { version: 2, dailyCalories: 1990 });
      builder.goalHistory(
        [
          { version: 1, dailyCalories: 2000, action: "CREATE" },
          { version: 2, dailyCalories: 1990, action: "UPDATE" },
        ],
        { version: 2, dailyCalories: 1990 },
      );
      expect(violationsOf(builder.build(), NO_LOST_UPDATE)).to.deep.equal([
        "two acknowledged writes both produced version 2: one of them was lost",
      ]);
    });

    it("catches an acknowledged write missing from the revision history and a final goal that is not the newest revision", () => {
      const builder = new HistoryBuilder();
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      builder.ok("UpdateGoal", [0, 10], { dailyCalories: 1800 }, { version: 2, dailyCalories: 1800 });
      builder.goalHistory([{ version: 1, dailyCalories: 2000, action: "CREATE" }], { version: 2, dailyCalories: 1800 });
      expect(violationsOf(builder.build(), NO_LOST_UPDATE)).to.deep.equal([
        "acknowledged version 2 (UPDATE, daily_calories 1800), but the revision history has nothing there",
        "the final goal is version 2 with daily_calories 1800, but the newest revision says version 1 with daily_calories 2000",
      ]);
    });

    it("catches a write refused as stale that changed the goal anyway", () => {
      const builder = new HistoryBuilder();
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      builder.error("UpdateGoal", [0, 10], { dailyCalories: 2400, expectedVersion: 5 }, status.ABORTED, "ETAG_MISMATCH");
      builder.goalHistory(
        [
          { version: 1, dailyCalories: 2000, action: "CREATE" },
          { version: 2, dailyCalories: 2400, action: "UPDATE" },
        ],
        { version: 2, dailyCalories: 2400 },
      );
      expect(violationsOf(builder.build(), NO_LOST_UPDATE)).to.deep.equal([
        "revision 2 (UPDATE, daily_calories 2400) was written by no call that may have succeeded",
      ]);
    });

    it("explains a revision by a write whose outcome is unknown", () => {
      const builder = new HistoryBuilder();
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      builder.error("UpdateGoal", [0, 10], { dailyCalories: 2400 }, status.UNAVAILABLE);
      builder.goalHistory(
        [
          { version: 1, dailyCalories: 2000, action: "CREATE" },
          { version: 2, dailyCalories: 2400, action: "UPDATE" },
        ],
        { version: 2, dailyCalories: 2400 },
      );
      expect(violationsOf(builder.build(), NO_LOST_UPDATE)).to.deep.equal([]);
    });

    it("catches a conditional write that did not build on the version it named, and gaps in the versions", () => {
      const builder = new HistoryBuilder();
      builder.ok("CreateGoal", [-30, -20], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 });
      builder.ok("UpdateGoal", [0, 10], { dailyCalories: 1800, expectedVersion: 1 }, { version: 3, dailyCalories: 1800 });
      builder.goalHistory(
        [
          { version: 1, dailyCalories: 2000, action: "CREATE" },
          { version: 3, dailyCalories: 1800, action: "UPDATE" },
        ],
        { version: 3, dailyCalories: 1800 },
      );
      expect(violationsOf(builder.build(), NO_LOST_UPDATE)).to.deep.equal([
        "the revision history goes from version 3 to 1: versions must fall by one",
        "a write conditional on version 1 produced version 3, not 2",
      ]);
    });
  });

  describe("check 4: consumed calories from a state the meals history allows", () => {
    const mealsOfToday = () => {
      const builder = withSettledGoal(new HistoryBuilder(), 2500);
      builder.ok("CreateMeal", [0, 10], { calories: 300, eatenTime: eatenOn(TODAY) }, { mealId: "1", calories: 300, version: 1 });
      builder.ok(
        "CreateMeal",
        [11, 20],
        { calories: 500, eatenTime: eatenOn(YESTERDAY) },
        { mealId: "2", calories: 500, version: 1 },
      );
      return builder;
    };

    it("accepts the totals of every state while a meal's calories change, and no other (seed case 2)", () => {
      const builder = mealsOfToday();
      builder.ok("UpdateMeal", [30, 40], { mealId: "1", calories: 900 }, { mealId: "1", calories: 900, version: 2 });
      builder.ok("RecommendMeals", [31, 39], { maxResults: 5 }, recommendation(1, 2500, 300, []));
      builder.ok("RecommendMeals", [32, 39], { maxResults: 5 }, recommendation(1, 2500, 900, []));
      builder.ok("RecommendMeals", [33, 39], { maxResults: 5 }, recommendation(1, 2500, 1200, []));
      builder.ok("RecommendMeals", [41, 45], { maxResults: 5 }, recommendation(1, 2500, 300, []));
      expect(violationsOf(builder.build(), CONSUMED_CALORIES)).to.deep.equal([
        `reports consumed 1200 kcal on ${TODAY}; the meals history allows only 300 kcal/1 meals, 900 kcal/1 meals`,
        `reports consumed 300 kcal on ${TODAY}; the meals history allows only 900 kcal/1 meals`,
      ]);
    });

    it("checks the meal count of a summary too, and counts only the day asked for", () => {
      const builder = mealsOfToday();
      builder.ok("GetDailySummary", [21, 30], { day: TODAY }, summary(1, 2500, 300, 1));
      builder.ok("GetDailySummary", [21, 30], { day: YESTERDAY }, summary(1, 2500, 500, 1));
      builder.ok("GetDailySummary", [21, 30], { day: TODAY }, summary(1, 2500, 300, 2));
      builder.ok("GetDailySummary", [21, 30], { day: TODAY }, summary(1, 2500, 800, 2));
      expect(violationsOf(builder.build(), CONSUMED_CALORIES)).to.deep.equal([
        `reports consumed 300 kcal/2 meals on ${TODAY}; the meals history allows only 300 kcal/1 meals`,
        `reports consumed 800 kcal/2 meals on ${TODAY}; the meals history allows only 300 kcal/1 meals`,
      ]);
    });

    it("catches a meal counted after its delete was acknowledged, and accepts it while the delete runs", () => {
      const builder = mealsOfToday();
      builder.ok("DeleteMeal", [30, 40], { mealId: "1" }, {});
      builder.ok("GetDailySummary", [35, 45], { day: TODAY }, summary(1, 2500, 300, 1));
      builder.ok("GetDailySummary", [36, 45], { day: TODAY }, summary(1, 2500, 0, 0));
      builder.ok("GetDailySummary", [41, 50], { day: TODAY }, summary(1, 2500, 300, 1));
      expect(violationsOf(builder.build(), CONSUMED_CALORIES)).to.deep.equal([
        `reports consumed 300 kcal/1 meals on ${TODAY}; the meals history allows only 0 kcal/0 meals`,
      ]);
    });

    it("lets a create of unknown outcome count or not, forever", () => {
      const builder = mealsOfToday();
      builder.error("CreateMeal", [30, 40], { calories: 450, eatenTime: eatenOn(TODAY) }, status.DEADLINE_EXCEEDED);
      builder.ok("GetDailySummary", [100, 110], { day: TODAY }, summary(1, 2500, 750, 2));
      builder.ok("GetDailySummary", [200, 210], { day: TODAY }, summary(1, 2500, 300, 1));
      expect(violationsOf(builder.build(), CONSUMED_CALORIES)).to.deep.equal([]);
    });

    it("catches a recommended meal with calories it never had while the call ran", () => {
      const builder = mealsOfToday();
      builder.ok("UpdateMeal", [30, 40], { mealId: "2", calories: 650 }, { mealId: "2", calories: 650, version: 2 });
      builder.ok("RecommendMeals", [50, 60], { maxResults: 5 }, recommendation(1, 2500, 300, [["2", 500]]));
      expect(violationsOf(builder.build(), CONSUMED_CALORIES)).to.deep.equal([
        "recommends meal 2 at 500 kcal; while the call ran it was 650 kcal",
      ]);
    });

    it("counts an answer as undecided when too many meals are uncertain at once", () => {
      const builder = withSettledGoal(new HistoryBuilder(), 2500);
      // Distinct powers of two: every subset has its own total, 2^20 of them.
      for (let meal = 0; meal < 20; meal++) {
        builder.error("CreateMeal", [meal, meal + 1], { calories: 2 ** meal, eatenTime: eatenOn(TODAY) }, status.UNAVAILABLE);
      }
      builder.ok("GetDailySummary", [100, 110], { day: TODAY }, summary(1, 2500, 0, 0));
      const result = resultOf(builder.build(), CONSUMED_CALORIES);
      expect(result).to.include({ examined: 1, undecided: 1 });
      expect(result.violations).to.deep.equal([]);
    });
  });

  describe("check 5: only errors the contract allows", () => {
    it("catches INTERNAL, UNKNOWN, INVALID_ARGUMENT and a precondition other than GOAL_NOT_SET", () => {
      const builder = withSettledGoal(new HistoryBuilder());
      builder.error("GetDailySummary", [0, 10], { day: TODAY }, status.INTERNAL);
      builder.error("RecommendMeals", [0, 10], { maxResults: 5 }, status.UNKNOWN, "UNEXPECTED_ERROR");
      builder.error(
        "CreateMeal",
        [0, 10],
        { calories: 10, eatenTime: eatenOn(TODAY) },
        status.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
      );
      builder.error("RecommendMeals", [0, 10], { maxResults: 5 }, status.FAILED_PRECONDITION, "SOMETHING_ELSE");
      builder.error("UpdateGoal", [0, 10], { dailyCalories: 1500 }, status.ABORTED, "ETAG_MISMATCH");
      builder.error("GetGoal", [0, 10], {}, status.UNAVAILABLE);
      expect(violationsOf(builder.build(), ALLOWED_ERRORS)).to.deep.equal([
        "answered INTERNAL: planted INTERNAL, which the contract does not allow here",
        "answered UNKNOWN (UNEXPECTED_ERROR): planted UNKNOWN, which the contract does not allow here",
        "answered INVALID_ARGUMENT (INVALID_ARGUMENT): planted INVALID_ARGUMENT, which the contract does not allow here",
        "answered FAILED_PRECONDITION (SOMETHING_ELSE): planted FAILED_PRECONDITION; the only precondition is GOAL_NOT_SET",
      ]);
    });

    it("allows a meal's NOT_FOUND only after a delete of that meal may have happened", () => {
      const builder = withSettledGoal(new HistoryBuilder());
      builder.ok("CreateMeal", [0, 10], { calories: 300, eatenTime: eatenOn(TODAY) }, { mealId: "1", calories: 300, version: 1 });
      builder.ok("CreateMeal", [0, 10], { calories: 300, eatenTime: eatenOn(TODAY) }, { mealId: "2", calories: 300, version: 1 });
      builder.error("UpdateMeal", [20, 30], { mealId: "1", calories: 500 }, status.NOT_FOUND, "MEAL_NOT_FOUND");
      builder.error("DeleteMeal", [25, 35], { mealId: "2" }, status.DEADLINE_EXCEEDED);
      builder.error("UpdateMeal", [30, 40], { mealId: "2", calories: 500 }, status.NOT_FOUND, "MEAL_NOT_FOUND");
      expect(violationsOf(builder.build(), ALLOWED_ERRORS)).to.deep.equal([
        "answered NOT_FOUND (MEAL_NOT_FOUND): planted NOT_FOUND, but no delete of meal 1 may have happened before it ended",
      ]);
    });

    it("allows ALREADY_EXISTS only when another create of the goal may have won", () => {
      const builder = new HistoryBuilder(["alice", "bob"]);
      builder.ok("CreateGoal", [0, 10], { dailyCalories: 2000 }, { version: 1, dailyCalories: 2000 }, "alice");
      builder.error("CreateGoal", [5, 15], { dailyCalories: 2100 }, status.ALREADY_EXISTS, "GOAL_ALREADY_EXISTS", "alice");
      builder.error("CreateGoal", [5, 15], { dailyCalories: 2100 }, status.ALREADY_EXISTS, "GOAL_ALREADY_EXISTS", "bob");
      builder.goalHistory([{ version: 1, dailyCalories: 2000, action: "CREATE" }], { version: 1, dailyCalories: 2000 }, "alice");
      expect(violationsOf(builder.build(), ALLOWED_ERRORS)).to.deep.equal([
        "answered ALREADY_EXISTS (GOAL_ALREADY_EXISTS): planted ALREADY_EXISTS, but no other create of this goal may have succeeded before it ended",
      ]);
    });
  });

  describe("check 7: goal version and consumed calories true at one instant", () => {
    /**
     * Goal version 1 settled; inside one long call: a meal of 300 kcal is
     * logged (acknowledged at 20), then the goal moves to version 2 (invoked
     * at 30). Version 1 with the meal, or version 2 with it, existed at one
     * instant; version 2 without the meal never did: the meal was in before
     * version 2 could be.
     */
    const mealThenGoalChange = (day = TODAY) => {
      const builder = withSettledGoal(new HistoryBuilder(), 2000);
      builder.ok("CreateMeal", [10, 20], { calories: 300, eatenTime: eatenOn(day) }, { mealId: "1", calories: 300, version: 1 });
      builder.ok("UpdateGoal", [30, 40], { dailyCalories: 1800 }, { version: 2, dailyCalories: 1800 });
      return withGoalLowered(builder);
    };

    it("catches a summary that pairs the new goal version with the meals from before it (checks 2 and 4 pass it)", () => {
      const builder = mealThenGoalChange();
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(2, 1800, 0, 0));
      const history = builder.build();
      expect(violationsOf(history, VERSION_CURRENT)).to.deep.equal([]);
      expect(violationsOf(history, CONSUMED_CALORIES)).to.deep.equal([]);
      expect(violationsOf(history, ONE_INSTANT)).to.deep.equal([
        "reports goal version 2 and consumed 0 kcal, but while version 2 may have been current (0.030 s to 0.100 s) " +
          "the day's meals added up only to 300 kcal",
      ]);
      const [violation] = resultOf(history, ONE_INSTANT).violations;
      expect(violation.calls.map((call) => call.method)).to.deep.equal(["GetDailySummary", "CreateMeal", "UpdateGoal"]);
    });

    it("catches a recommendation that pairs the old goal version with a meal logged after it was replaced", () => {
      const builder = withSettledGoal(new HistoryBuilder(), 2000);
      builder.ok("UpdateGoal", [10, 20], { dailyCalories: 1800 }, { version: 2, dailyCalories: 1800 });
      builder.ok(
        "CreateMeal",
        [30, 40],
        { calories: 300, eatenTime: eatenOn(TODAY) },
        { mealId: "1", calories: 300, version: 1 },
      );
      withGoalLowered(builder);
      builder.ok("RecommendMeals", [0, 100], { maxResults: 5 }, recommendation(1, 2000, 300, []));
      expect(violationsOf(builder.build(), ONE_INSTANT)).to.deep.equal([
        "reports goal version 1 and consumed 300 kcal, but while version 1 may have been current (0.000 s to 0.020 s) " +
          "the day's meals added up only to 0 kcal",
      ]);
    });

    it("accepts every pairing that existed at some instant, and leaves a never-current version to check 2", () => {
      const builder = mealThenGoalChange();
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(1, 2000, 0, 0));
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(1, 2000, 300, 1));
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(2, 1800, 300, 1));
      // Version 1 may be current until version 2's acknowledgement at 40, and the meal absent until its own at 20.
      builder.ok("GetDailySummary", [5, 35], { day: TODAY }, summary(1, 2000, 0, 0));
      // Version 1 after version 2 was acknowledged: never current, check 2's violation.
      builder.ok("GetDailySummary", [50, 60], { day: TODAY }, summary(1, 2000, 300, 1));
      const history = builder.build();
      expect(violationsOf(history, ONE_INSTANT)).to.deep.equal([]);
      expect(violationsOf(history, VERSION_CURRENT)).to.have.length(1);
    });

    it("leaves a summary of a day that is over to checks 4 and 6: it reports the goal that day ended with, not the current one", () => {
      // As in the first case, but of yesterday: the meal is yesterday's, and the summary pairs version 2 with
      // the day's meals from before it, which a day's settled goal may do (the answer of today is caught above).
      const builder = mealThenGoalChange(YESTERDAY);
      builder.ok("GetDailySummary", [0, 100], { day: YESTERDAY }, summary(2, 1800, 0, 0));
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(2, 1800, 0, 0));
      const result = resultOf(builder.build(), ONE_INSTANT);
      expect(result.examined, "today's summary only").to.equal(1);
      // Judged as of today, yesterday's summary would be flagged: version 2 was current only after the meal was in.
      expect(result.violations).to.deep.equal([]);
    });

    it("gives a meal write of unknown outcome both states, at every instant from its invocation", () => {
      const builder = withSettledGoal(new HistoryBuilder(), 2000);
      builder.error("CreateMeal", [10, 20], { calories: 300, eatenTime: eatenOn(TODAY) }, status.UNAVAILABLE);
      builder.ok("UpdateGoal", [30, 40], { dailyCalories: 1800 }, { version: 2, dailyCalories: 1800 });
      withGoalLowered(builder);
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(2, 1800, 0, 0));
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(2, 1800, 300, 1));
      builder.ok("GetDailySummary", [0, 100], { day: TODAY }, summary(2, 1800, 500, 1));
      expect(violationsOf(builder.build(), ONE_INSTANT)).to.deep.equal([
        "reports goal version 2 and consumed 500 kcal, but while version 2 may have been current (0.030 s to 0.100 s) " +
          "the day's meals added up only to 0 kcal, 300 kcal",
      ]);
    });
  });

  describe("check 6: every day judged by a goal in force that day", () => {
    /** Run time (ms since the run started) of a wall-clock instant. */
    const runTime = (iso: string) => Date.parse(iso) - STARTED_AT;
    const day = (date: string, consumedCalories: number, goal?: [number, number]): StatsDay => ({
      date,
      consumedCalories,
      mealCount: consumedCalories > 0 ? 1 : 0,
      ...(goal && { goalVersion: goal[0], dailyCalories: goal[1], remainingCalories: goal[1] - consumedCalories }),
    });

    /**
     * A goal of 2,000 from 03-05, lowered to 1,800 on 03-08, deleted at 23:00 UTC on 03-09 (all before the
     * run), created again at 2,200 by the run's first call: versions 1-3 are the run's seeded past.
     */
    const withPast = () => {
      const builder = new HistoryBuilder().seeded(3);
      builder.ok("CreateGoal", [0, 10], { dailyCalories: 2200 }, { version: 4, dailyCalories: 2200 });
      builder.goalHistory(
        [
          { version: 1, dailyCalories: 2000, action: "CREATE", revisionTime: Date.parse("2025-03-05T10:00:00Z") },
          { version: 2, dailyCalories: 1800, action: "UPDATE", revisionTime: Date.parse("2025-03-08T10:00:00Z") },
          { version: 3, dailyCalories: 1800, action: "DELETE", revisionTime: Date.parse("2025-03-09T23:00:00Z") },
          { version: 4, dailyCalories: 2200, action: "CREATE", revisionTime: STARTED_AT + 5 },
        ],
        { version: 4, dailyCalories: 2200 },
      );
      return builder;
    };
    const stats = (builder: HistoryBuilder, window: [number, number], overDays: number, timeZone: string, days: StatsDay[]) =>
      builder.ok(
        "GetCalorieStats",
        window,
        { overDays, timeZone },
        { startDate: days[0].date, endDate: days.at(-1)!.date, days },
      );

    it("passes past days judged by the goal at their end, in UTC and in Tokyo, and the seeded versions as no call's", () => {
      const builder = withPast();
      builder.ok("GetDailySummary", [20, 30], { day: "2025-03-08" }, summary(2, 1800, 0, 0));
      builder.error("GetDailySummary", [20, 30], { day: YESTERDAY }, status.FAILED_PRECONDITION, "GOAL_NOT_SET");
      stats(builder, [20, 30], 3, "UTC", [day("2025-03-08", 900, [2, 1800]), day(YESTERDAY, 300), day(TODAY, 0, [4, 2200])]);
      // The delete at 23:00 UTC was 08:00 on the 10th in Tokyo: Tokyo's 9th ended under version 2.
      stats(builder, [20, 30], 2, "Asia/Tokyo", [day(YESTERDAY, 0, [2, 1800]), day(TODAY, 0, [4, 2200])]);
      const results = checkHistory(builder.build());
      expect(results.map((result) => result.violations.map((violation) => violation.explanation))).to.deep.equal([
        [],
        [],
        [],
        [],
        [],
        [],
        [],
      ]);
      expect(results[DAY_GOALS - 1]).to.include({ examined: 4, undecided: 0 });
      // Stats' today entries are current-goal observations for check 2.
      expect(resultOf(builder.build(), VERSION_CURRENT).examined).to.equal(2);
      // Without the seeded past, versions 1-3 would be nobody's doing.
      const unseeded = { ...builder.build(), seededVersions: {} };
      expect(violationsOf(unseeded, NO_LOST_UPDATE)).to.have.length(3);
    });

    it("catches past days judged by the current goal (a proxy that reports it for every day)", () => {
      const builder = withPast();
      stats(builder, [20, 30], 3, "UTC", [
        day("2025-03-08", 900, [4, 2200]),
        day(YESTERDAY, 300, [4, 2200]),
        day(TODAY, 0, [4, 2200]),
      ]);
      builder.ok("GetDailySummary", [20, 30], { day: YESTERDAY }, summary(4, 2200, 300, 1));
      expect(violationsOf(builder.build(), DAY_GOALS)).to.deep.equal([
        "judges 2025-03-08 (UTC) by goal version 4, but goal version 2 was in force at its end",
        "judges 2025-03-09 (UTC) by goal version 4, but no goal was in force at its end",
        "summarises 2025-03-09 under goal version 4, but no goal was in force at its end",
      ]);
    });

    it("catches a day judged by the goal at its start, and a day judged in the wrong zone", () => {
      const builder = withPast();
      // 03-08 began under version 1, but ended under version 2.
      builder.ok("GetDailySummary", [20, 30], { day: "2025-03-08" }, summary(1, 2000, 0, 0));
      // In UTC the 9th ended without a goal; in Tokyo it ended under version 2.
      stats(builder, [20, 30], 2, "Asia/Tokyo", [day(YESTERDAY, 0), day(TODAY, 0, [4, 2200])]);
      expect(violationsOf(builder.build(), DAY_GOALS)).to.deep.equal([
        "summarises 2025-03-08 under goal version 1, but goal version 2 was in force at its end",
        "judges 2025-03-09 (Asia/Tokyo) by no goal, but goal version 2 was in force at its end",
      ]);
    });

    it("catches GOAL_NOT_SET over days a goal was in force, a wrong period and a day's wrong calories", () => {
      const builder = withPast();
      builder.error("GetCalorieStats", [20, 30], { overDays: 4, timeZone: "UTC" }, status.FAILED_PRECONDITION, "GOAL_NOT_SET");
      stats(builder, [20, 30], 3, "UTC", [day("2025-03-07", 0, [1, 2000]), day(YESTERDAY, 0), day(TODAY, 0, [4, 2200])]);
      stats(builder, [20, 30], 2, "UTC", [day(YESTERDAY, 0), day(TODAY, 0, [4, 2000])]);
      expect(violationsOf(builder.build(), DAY_GOALS)).to.deep.equal([
        "answered GOAL_NOT_SET, but a goal was in force during the 4 days to 2025-03-10 (UTC) before the call began",
        "reports 3 days 2025-03-07..2025-03-10, not 3 consecutive days ending 2025-03-10",
        "reports daily_calories 2000 on 2025-03-10 for goal version 4, which had 2200",
      ]);
    });

    it("does not judge a day that ended while the call ran", () => {
      const builder = withPast();
      const midnight = runTime("2025-03-10T00:00:00Z");
      builder.ok("GetDailySummary", [midnight - 300, midnight + 300], { day: YESTERDAY }, summary(4, 2200, 0, 0));
      expect(resultOf(builder.build(), DAY_GOALS)).to.deep.include({ examined: 1, undecided: 1, violations: [] });
    });
  });
});
