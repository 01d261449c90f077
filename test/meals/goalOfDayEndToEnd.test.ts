import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import type { GetCalorieStatsResponse } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { writePastGoalHistory, type PastRevision } from "../../tools/verify/pastGoalHistory.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { DAY_MS, logMeal } from "../harness/seed.js";
import { failureOf } from "../harness/statusDetails.js";

/** The UTC date `daysBack` days before today, and an instant on it. */
const utcDate = (daysBack: number) => new Date(Date.now() - daysBack * DAY_MS).toISOString().slice(0, 10);
const onDay = (daysBack: number, time: string) => new Date(`${utcDate(daysBack)}T${time}Z`);

/** Each day of a series as date: version/calories/remaining, or date: none. */
const judged = (stats: GetCalorieStatsResponse) =>
  stats.series!.days.map((day) =>
    day.goalVersion === undefined
      ? `${day.date}: none`
      : `${day.date}: v${day.goalVersion}/${day.dailyCalories}/${day.remainingCalories}`,
  );

describe("meals: every day judged by the goal of that day, through both services", () => {
  let fixture: MealplanFixture;
  before(async () => (fixture = await startMealplanFixture()));
  after(() => fixture.stop());

  const history = (customerId: string, revisions: PastRevision[]) => writePastGoalHistory(fixture.db, customerId, revisions);
  const summary = (customerId: string, date: string, timeZone = "UTC") =>
    fixture.meals.getDailySummary({ customerId, date, timeZone });
  const stats = (customerId: string, overDays: number) =>
    fixture.meals.getCalorieStats({ customerId, overDays, timeZone: "UTC" });
  const goalNotSet = async (call: Promise<unknown>) => {
    const failure = await failureOf(call);
    expect(failure.code).to.equal(status.FAILED_PRECONDITION);
    expect(failure.reason).to.equal("GOAL_NOT_SET");
    return failure;
  };

  it("judges Monday by 2,400 after the goal was lowered to 1,800 on Wednesday, and the week day by day", async () => {
    // Six days ago is "Monday"; the goal was lowered on "Wednesday", four days ago, at 10:00.
    await history("stephanie", [
      { at: onDay(20, "09:00:00"), action: "CREATE", dailyCalories: 2400 },
      { at: onDay(4, "10:00:00"), action: "UPDATE", dailyCalories: 1800 },
    ]);
    await logMeal(fixture, "stephanie", { name: "Schnitzel", calories: 2300, eatenTime: onDay(6, "19:00:00") });
    await logMeal(fixture, "stephanie", { name: "Pasta", calories: 2600, eatenTime: onDay(5, "13:00:00") });
    // Eaten before the change, but Wednesday ended under 1,800.
    await logMeal(fixture, "stephanie", { name: "Brunch", calories: 2000, eatenTime: onDay(4, "08:00:00") });
    await logMeal(fixture, "stephanie", { name: "Salad", calories: 500, eatenTime: new Date(Date.now() - 1000) });

    expect(await summary("stephanie", utcDate(6))).to.include({
      dailyCalories: 2400,
      goalVersion: "1",
      consumedCalories: 2300,
      remainingCalories: 100,
      mealCount: 1,
    });
    expect(await summary("stephanie", utcDate(4))).to.include({ dailyCalories: 1800, goalVersion: "2", remainingCalories: -200 });
    expect(await summary("stephanie", utcDate(0))).to.include({ dailyCalories: 1800, goalVersion: "2", consumedCalories: 500 });

    const logged = fixture.logs.length;
    const week = await stats("stephanie", 7);
    expect(judged(week)).to.deep.equal([
      `${utcDate(6)}: v1/2400/100`,
      `${utcDate(5)}: v1/2400/-200`,
      `${utcDate(4)}: v2/1800/-200`,
      `${utcDate(3)}: v2/1800/1800`,
      `${utcDate(2)}: v2/1800/1800`,
      `${utcDate(1)}: v2/1800/1800`,
      `${utcDate(0)}: v2/1800/1300`,
    ]);
    expect(week.series).to.include({ daysWithinGoal: 5, daysOverGoal: 2, daysWithoutGoal: 0 });
    expect(week.series!.days.map((day) => day.mealCount)).to.deep.equal([1, 1, 1, 0, 0, 0, 1]);
    // The aggregate fields stay as they were.
    expect(week).to.include({ totalCalories: "7400", mealCount: 4, startDate: utcDate(6), endDate: utcDate(0) });
    expect(week.largestMeal?.name).to.equal("Pasta");
    // One call to goals for the whole period.
    const goalsCalls = fixture.logs
      .slice(logged)
      .filter((line) => line.event === "call")
      .map((line) => line.method);
    expect(goalsCalls).to.deep.equal(["/mealplan.goals.v1.GoalsService/ListGoalRevisions"]);
  });

  it("leaves the days a deleted goal ended without a goal, until it was created again", async () => {
    await history("dora", [
      { at: onDay(30, "09:00:00"), action: "CREATE", dailyCalories: 2000 },
      { at: onDay(3, "12:00:00"), action: "DELETE" },
      { at: onDay(2, "08:00:00"), action: "CREATE", dailyCalories: 1500 },
    ]);
    await logMeal(fixture, "dora", { name: "Soup", calories: 900, eatenTime: onDay(3, "09:00:00") });
    expect(judged(await stats("dora", 5))).to.deep.equal([
      `${utcDate(4)}: v1/2000/2000`,
      `${utcDate(3)}: none`,
      `${utcDate(2)}: v3/1500/1500`,
      `${utcDate(1)}: v3/1500/1500`,
      `${utcDate(0)}: v3/1500/1500`,
    ]);
    const { series } = await stats("dora", 5);
    expect(series!.days[1]).to.include({
      date: utcDate(3),
      consumedCalories: 900,
      mealCount: 1,
      dailyCalories: undefined,
      goalVersion: undefined,
      remainingCalories: undefined,
    });
    expect(series).to.include({ daysWithinGoal: 4, daysOverGoal: 0, daysWithoutGoal: 1 });
    const failure = await goalNotSet(summary("dora", utcDate(3)));
    expect(failure.message).to.contain(`had no goal at the end of ${utcDate(3)}`);
    expect(await summary("dora", utcDate(4))).to.include({ goalVersion: "1", consumedCalories: 0 });
  });

  it("has no goal on the days before the goal was first set, and judges the rest", async () => {
    await history("midway", [{ at: onDay(3, "10:00:00"), action: "CREATE", dailyCalories: 2200 }]);
    const week = await stats("midway", 7);
    expect(judged(week).slice(0, 4)).to.deep.equal([
      `${utcDate(6)}: none`,
      `${utcDate(5)}: none`,
      `${utcDate(4)}: none`,
      `${utcDate(3)}: v1/2200/2200`,
    ]);
    expect(week.series).to.include({ daysWithinGoal: 4, daysOverGoal: 0, daysWithoutGoal: 3 });
    await goalNotSet(summary("midway", utcDate(4)));
  });

  it("answers GOAL_NOT_SET when no goal was in force at any instant of the period", async () => {
    await logMeal(fixture, "never", { name: "Toast", calories: 300 });
    const failure = await goalNotSet(stats("never", 30));
    expect(failure.message).to.contain(`had no goal at any time from ${utcDate(29)} to ${utcDate(0)}`);
    await goalNotSet(summary("never", utcDate(1)));

    await history("lapsed", [
      { at: onDay(40, "09:00:00"), action: "CREATE", dailyCalories: 2000 },
      { at: onDay(10, "09:00:00"), action: "DELETE" },
    ]);
    await goalNotSet(stats("lapsed", 7));
    // A longer period reaches back to when it was in force.
    expect(judged(await stats("lapsed", 12)).slice(0, 2)).to.deep.equal([`${utcDate(11)}: v1/2000/2000`, `${utcDate(10)}: none`]);
  });

  describe("where a day boundary crosses a goal change", () => {
    const lowered = (customerId: string, at: string) =>
      history(customerId, [
        { at: "2026-01-01T00:00:00Z", action: "CREATE", dailyCalories: 2400 },
        { at, action: "UPDATE", dailyCalories: 1800 },
      ]);
    const versionOn = async (customerId: string, date: string, timeZone: string) =>
      (await summary(customerId, date, timeZone)).goalVersion;

    it("puts the same instant's change on different days in different zones", async () => {
      // 2026-03-10 20:00 UTC is already the 11th in Tokyo, still the 10th in Los Angeles.
      await lowered("zones", "2026-03-10T20:00:00Z");
      expect(await versionOn("zones", "2026-03-10", "UTC")).to.equal("2");
      expect(await versionOn("zones", "2026-03-10", "Asia/Tokyo")).to.equal("1");
      expect(await versionOn("zones", "2026-03-11", "Asia/Tokyo")).to.equal("2");
      expect(await versionOn("zones", "2026-03-09", "America/Los_Angeles")).to.equal("1");
      expect(await versionOn("zones", "2026-03-10", "America/Los_Angeles")).to.equal("2");
    });

    it("ends a spring-forward day after 23 hours and a fall-back day after 25", async () => {
      // Paris moves from 02:00 to 03:00 on 2026-03-29: that day runs from 23:00Z to 22:00Z.
      await lowered("spring", "2026-03-29T22:30:00Z");
      expect(await versionOn("spring", "2026-03-29", "Europe/Paris")).to.equal("1");
      expect(await versionOn("spring", "2026-03-30", "Europe/Paris")).to.equal("2");
      expect(await versionOn("spring", "2026-03-29", "UTC")).to.equal("2");
      await lowered("spring-last-ms", "2026-03-29T21:59:59.999Z");
      expect(await versionOn("spring-last-ms", "2026-03-29", "Europe/Paris")).to.equal("2");
      // New York moves from 02:00 back to 01:00 on 2026-11-01: that day runs until 05:00Z the next day.
      await lowered("fall", "2026-11-02T04:30:00Z");
      expect(await versionOn("fall", "2026-11-01", "America/New_York")).to.equal("2");
      expect(await versionOn("fall", "2026-10-31", "America/New_York")).to.equal("1");
      expect(await versionOn("fall", "2026-11-01", "UTC")).to.equal("1");
    });

    it("counts a DST day's meals in the same local day as its goal", async () => {
      await lowered("dst-meals", "2026-03-29T21:30:00Z");
      await logMeal(fixture, "dst-meals", { name: "Late", calories: 1000, eatenTime: new Date("2026-03-29T21:59:59.999Z") });
      await logMeal(fixture, "dst-meals", { name: "Next", calories: 700, eatenTime: new Date("2026-03-29T22:00:00Z") });
      expect(await summary("dst-meals", "2026-03-29", "Europe/Paris")).to.include({
        goalVersion: "2",
        dailyCalories: 1800,
        consumedCalories: 1000,
        remainingCalories: 800,
      });
    });
  });
});
