import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { writePastGoalHistory } from "../../tools/verify/pastGoalHistory.js";
import { changeGoal, DAY_MS, logMeal, setGoal } from "../harness/seed.js";
import { failureOf } from "../harness/statusDetails.js";

describe("meals: daily summary and stats", () => {
  let fixture: MealplanFixture;
  before(async () => (fixture = await startMealplanFixture()));
  after(() => fixture.stop());

  it("follows the original product's flow: goal 2000, log 800, log 1200, nothing left to recommend", async () => {
    const goal = await setGoal(fixture, "stephanie", 2000);
    await logMeal(fixture, "someone", { name: "Enchiladas", calories: 900, rating: 5, cuisine: "Mexican" });
    await logMeal(fixture, "stephanie", { name: "Tacos", calories: 800, cuisine: "Mexican" });
    const afterFirst = await fixture.meals.getDailySummary({ customerId: "stephanie", date: "", timeZone: "" });
    expect(afterFirst).to.include({
      dailyCalories: 2000,
      goalVersion: goal.version,
      consumedCalories: 800,
      remainingCalories: 1200,
      mealCount: 1,
    });
    expect(
      (await fixture.meals.recommendMeals({ customerId: "stephanie", maxResults: 0, timeZone: "" })).recommendations.map(
        (r) => r.name,
      ),
    ).to.deep.equal(["Enchiladas"]);

    await logMeal(fixture, "stephanie", { name: "Lasagna", calories: 1200, cuisine: "Italian" });
    const afterSecond = await fixture.meals.getDailySummary({ customerId: "stephanie", date: "", timeZone: "" });
    expect(afterSecond).to.include({ consumedCalories: 2000, remainingCalories: 0, mealCount: 2 });
    const recommendation = await fixture.meals.recommendMeals({ customerId: "stephanie", maxResults: 0, timeZone: "" });
    expect(recommendation).to.deep.include({ recommendations: [], consumedCalories: 2000, remainingCalories: 0 });
  });

  it("reports a negative remainder when the customer ate more than the goal, under the goal's current version", async () => {
    await setGoal(fixture, "over", 1000);
    const lowered = await changeGoal(fixture, "over", 700);
    await logMeal(fixture, "over", { name: "Buffet", calories: 900 });
    const summary = await fixture.meals.getDailySummary({ customerId: "over", date: "", timeZone: "" });
    expect(summary).to.include({
      dailyCalories: 700,
      goalVersion: lowered.version,
      consumedCalories: 900,
      remainingCalories: -200,
    });
  });

  it("cuts days at local midnight of the requested time zone", async () => {
    // Past days are judged by the goal in force then.
    await writePastGoalHistory(fixture.db, "tz", [{ at: "2026-03-01T00:00:00Z", action: "CREATE", dailyCalories: 2000 }]);
    // 2026-03-10 23:30 and 2026-03-11 00:30 in Tokyo (UTC+9), both on 2026-03-10 in UTC.
    await logMeal(fixture, "tz", { name: "Late", calories: 300, eatenTime: new Date("2026-03-10T14:30:00Z") });
    await logMeal(fixture, "tz", { name: "Early", calories: 500, eatenTime: new Date("2026-03-10T15:30:00Z") });
    // 2026-03-08 in New York crosses the spring-forward change: 23 hours long.
    await logMeal(fixture, "tz", { name: "Brunch", calories: 700, eatenTime: new Date("2026-03-08T04:59:00Z") });
    await logMeal(fixture, "tz", { name: "Dinner", calories: 100, eatenTime: new Date("2026-03-09T03:59:00Z") });

    const summary = (date: string, timeZone: string) => fixture.meals.getDailySummary({ customerId: "tz", date, timeZone });
    expect(await summary("2026-03-10", "Asia/Tokyo")).to.include({ consumedCalories: 300, mealCount: 1, timeZone: "Asia/Tokyo" });
    expect(await summary("2026-03-11", "Asia/Tokyo")).to.include({ consumedCalories: 500, mealCount: 1 });
    expect(await summary("2026-03-10", "UTC")).to.include({ consumedCalories: 800, mealCount: 2 });
    expect(await summary("2026-03-10", "")).to.include({ consumedCalories: 800, timeZone: "UTC" });
    // 04:59Z on 2026-03-08 is 23:59 on the 7th in New York; 03:59Z on the 9th is 23:59 EDT on the 8th.
    expect(await summary("2026-03-07", "America/New_York")).to.include({ consumedCalories: 700 });
    expect(await summary("2026-03-08", "America/New_York")).to.include({ consumedCalories: 100, date: "2026-03-08" });
  });

  it("averages calories over every day of the period, counting days without meals as zero", async () => {
    await setGoal(fixture, "stats", 2000);
    await setGoal(fixture, "no-meals", 2000);
    const now = Date.now();
    await logMeal(fixture, "stats", { name: "Today", calories: 600, eatenTime: new Date(now - 1000) });
    await logMeal(fixture, "stats", { name: "Big", calories: 1500, eatenTime: new Date(now - 2 * DAY_MS) });
    await logMeal(fixture, "stats", { name: "Old", calories: 5000, eatenTime: new Date(now - 40 * DAY_MS) });

    const week = await fixture.meals.getCalorieStats({ customerId: "stats", overDays: 7, timeZone: "" });
    expect(week).to.include({ overDays: 7, totalCalories: "2100", mealCount: 2, averageDailyCalories: 300 });
    expect(week.largestMeal).to.include({ name: "Big", calories: 1500 });
    const today = new Date(now).toISOString().slice(0, 10);
    expect(week.endDate).to.equal(today);
    expect(week.startDate).to.equal(
      new Date(Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10) - 6)).toISOString().slice(0, 10),
    );

    const year = await fixture.meals.getCalorieStats({ customerId: "stats", overDays: 366, timeZone: "Europe/Paris" });
    expect(year).to.include({ totalCalories: "7100", mealCount: 3 });
    expect(year.largestMeal?.name).to.equal("Old");

    const empty = await fixture.meals.getCalorieStats({ customerId: "no-meals", overDays: 30, timeZone: "" });
    expect(empty).to.include({ totalCalories: "0", mealCount: 0, averageDailyCalories: 0 });
    expect(empty.largestMeal).to.equal(undefined);
  });

  it("answers FAILED_PRECONDITION (GOAL_NOT_SET) without a goal, for summaries, stats and recommendations", async () => {
    for (const call of [
      fixture.meals.getDailySummary({ customerId: "goalless", date: "", timeZone: "" }),
      fixture.meals.getCalorieStats({ customerId: "goalless", overDays: 7, timeZone: "" }),
      fixture.meals.recommendMeals({ customerId: "goalless", maxResults: 0, timeZone: "" }),
    ]) {
      const failure = await failureOf(call);
      expect(failure.code).to.equal(status.FAILED_PRECONDITION);
      expect(failure.reason).to.equal("GOAL_NOT_SET");
    }
  });
});
