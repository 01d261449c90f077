import { expect } from "chai";
import type { Connection } from "mysql2/promise";
import { dayWindowAt } from "../../services/meals/domain/calendar.js";
import { GoalsGateway, type GoalSnapshot } from "../../services/meals/goals/GoalsGateway.js";
import type { Candidate } from "../../services/meals/domain/Candidate.js";
import { StaleReadError } from "../../services/meals/protocol/GoalVersionProtocol.js";
import { shareLogAndReadEaten } from "../../services/meals/repository/mealLogLocks.js";
import { shareMeals } from "../../services/meals/repository/mealStatements.js";
import { OWN_MEAL_MIN_AGE_MS, pickCandidates, recommendation } from "../../services/meals/repository/recommendWithinGoal.js";
import type { Database } from "../../shared/database/Database.js";
import { runTransaction } from "../../shared/database/Transaction.js";
import { callScope } from "../harness/callScope.js";
import { openMealsDatabase, startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { changeGoal, logMeal, setGoal } from "../harness/seed.js";
import { lockWaitCount, openTestConnection, queryRows, waitForLockWaits } from "../harness/testDatabase.js";

/**
 * The seed's cases 1 and 2, each forced into its dangerous interleaving by a
 * row lock a test connection holds, with the lock wait observed before the
 * interfering write goes in. Each has a control: the same interleaving on a
 * path without the protection shows the anomaly, so the test can fail.
 */
describe("meals: recommendations under concurrent change (seed cases 1 and 2)", () => {
  let fixture: MealplanFixture;
  let locker: Connection;
  let observer: Connection;
  let database: Database;
  let goalsGateway: GoalsGateway;
  const today = () => dayWindowAt(new Date(), "UTC");
  const mealIdOf = async (name: string) =>
    (await queryRows<{ meal_id: string }>(observer, "SELECT meal_id FROM meals WHERE name = ?", [name]))[0].meal_id;
  const changeChefMeal = async (name: string, change: { calories?: number; rating?: number }, timeoutMs = 10000) => {
    const { meal } = await fixture.meals.updateMeal(
      {
        meal: {
          mealId: await mealIdOf(name),
          customerId: "chef",
          name: "",
          calories: 0,
          rating: 0,
          cuisine: "",
          version: "0",
          etag: "",
          ...change,
        },
        updateMask: Object.keys(change),
      },
      { deadline: Date.now() + timeoutMs },
    );
    return meal!;
  };

  before(async () => {
    fixture = await startMealplanFixture();
    locker = await openTestConnection(fixture.mealsDatabase);
    observer = await openTestConnection(fixture.mealsDatabase);
    database = await openMealsDatabase(fixture.mealsDatabase);
    goalsGateway = new GoalsGateway({ target: fixture.address, callTimeoutMs: 2000 });
    // The catalog another customer logged.
    await logMeal(fixture, "chef", { name: "Feast", calories: 1400, rating: 5 });
    await logMeal(fixture, "chef", { name: "Roast", calories: 1500, rating: 5 });
    await logMeal(fixture, "chef", { name: "Salad", calories: 300, rating: 4 });
    await logMeal(fixture, "chef", { name: "Soup", calories: 200, rating: 3 });
  });
  after(async () => {
    goalsGateway.close();
    await database.close();
    await locker.end();
    await observer.end();
    await fixture.stop();
  });

  describe("case 1: the goal is lowered while a recommendation runs", () => {
    it("control: computed under the goal it first read, the answer exceeds the goal now in force", async () => {
      await setGoal(fixture, "ctl1", 2000);
      await logMeal(fixture, "ctl1", { name: "Breakfast", calories: 500, rating: 1 });
      const goalRead: GoalSnapshot = await goalsGateway.currentGoal("ctl1", callScope());
      await changeGoal(fixture, "ctl1", 1000);

      const { consumedCalories, picks } = await runTransaction(
        database,
        async (session) => {
          const answer = recommendation({ customerId: "ctl1", today: today(), now: new Date(), maxResults: 3 });
          return answer.compute(session, goalRead, await answer.hold(session));
        },
        callScope(),
      );
      const remainingNow = 1000 - consumedCalories;
      expect(
        picks.some((pick) => pick.calories > remainingNow),
        "a pick over the lowered goal",
      ).to.equal(true);
    });

    it("through the service, the answer is given under the lowered goal: the goal is asked for once the meal log is held", async () => {
      await setGoal(fixture, "c1", 2000);
      await logMeal(fixture, "c1", { name: "Breakfast", calories: 500, rating: 1 });

      // Hold c1's meal log so the recommendation waits before it asks for the goal.
      await locker.beginTransaction();
      await locker.query("SELECT * FROM meal_logs WHERE customer_id = 'c1' FOR UPDATE");
      const recommendation = fixture.meals.recommendMeals({ customerId: "c1", maxResults: 2, timeZone: "" });
      recommendation.catch(() => undefined);
      await waitForLockWaits(observer, 1);
      const lowered = await changeGoal(fixture, "c1", 1000);
      await locker.commit();

      const answer = await recommendation;
      expect(answer).to.include({
        goalVersion: lowered.version,
        dailyCalories: 1000,
        consumedCalories: 500,
        remainingCalories: 500,
      });
      expect(answer.recommendations.map((meal) => meal.name)).to.deep.equal(["Salad", "Soup"]);
      for (const meal of answer.recommendations) expect(meal.calories).to.be.at.most(answer.remainingCalories);
    });
  });

  describe("case 2: a meal changes while a recommendation runs", () => {
    it("control: the meal re-read after ranking is no longer the one ranked, and exceeds the goal", async () => {
      await setGoal(fixture, "ctl2", 2000);
      await changeChefMeal("Roast", { calories: 1500 });
      const goal = await goalsGateway.currentGoal("ctl2", callScope());
      const returned = await runTransaction(
        database,
        async (session) => {
          const { consumedCalories } = await shareLogAndReadEaten(session, "ctl2", today());
          const picks = await pickCandidates(session, {
            customerId: "ctl2",
            remainingCalories: goal.dailyCalories - consumedCalories,
            ownEatenBefore: new Date(Date.now() - OWN_MEAL_MIN_AGE_MS),
            maxResults: 3,
          });
          expect(picks.map((pick) => pick.name)).to.include("Roast");
          await changeChefMeal("Roast", { calories: 2500 });
          // Without the check, the locked rows go out as they are now.
          const [locked] = await session.send(
            shareMeals(
              session.dialect,
              picks.map((pick) => pick.mealId),
            ),
          );
          return locked;
        },
        callScope(),
      );
      expect(returned.find((meal) => meal.name === "Roast")?.calories, "Roast as returned").to.be.greaterThan(goal.dailyCalories);
    });

    it("through the service, a picked meal that changes is caught and the answer recomputed", async () => {
      await setGoal(fixture, "c2", 2000);
      await changeChefMeal("Roast", { calories: 1500 });

      // Hold Roast's row: the update queues behind it, then the recommendation's share lock queues behind the update.
      await locker.beginTransaction();
      await locker.query("SELECT * FROM meals WHERE meal_id = ? FOR UPDATE", [await mealIdOf("Roast")]);
      const update = changeChefMeal("Roast", { calories: 2500 });
      update.catch(() => undefined);
      await waitForLockWaits(observer, 1);
      const recommendation = fixture.meals.recommendMeals({ customerId: "c2", maxResults: 2, timeZone: "" });
      recommendation.catch(() => undefined);
      await waitForLockWaits(observer, 2);
      await locker.commit();

      const [updated, answer] = await Promise.all([update, recommendation]);
      expect(updated.calories).to.equal(2500);
      expect(answer).to.include({ dailyCalories: 2000, consumedCalories: 0, remainingCalories: 2000 });
      expect(answer.recommendations.map((meal) => meal.name)).to.deep.equal(["Feast", "Salad"]);
      for (const meal of answer.recommendations) expect(meal.calories).to.be.at.most(answer.remainingCalories);
    });
  });

  describe("case 2, changed and changed back: a pick is checked by its version, which only goes up", () => {
    it("a picked meal that changed and changed back before its lock is caught, though its fields are as picked", async () => {
      await setGoal(fixture, "aba", 2000);
      await changeChefMeal("Roast", { calories: 1500 });
      const roastId = await mealIdOf("Roast");
      const goal = await goalsGateway.currentGoal("aba", callScope());

      // Hold Roast's row: the recommendation picks it from its snapshot, then waits for its share lock.
      await locker.beginTransaction();
      await locker.query("SELECT * FROM meals WHERE meal_id = ? FOR UPDATE", [roastId]);
      let picked: Candidate[] = [];
      const attempt = runTransaction(
        database,
        async (session) => {
          const answer = recommendation({ customerId: "aba", today: today(), now: new Date(), maxResults: 3 });
          const held = await answer.hold(session);
          picked = await pickCandidates(session, {
            customerId: "aba",
            remainingCalories: goal.dailyCalories - held.consumedCalories,
            ownEatenBefore: new Date(Date.now() - OWN_MEAL_MIN_AGE_MS),
            maxResults: 3,
          });
          return answer.compute(session, goal, held);
        },
        callScope(),
      );
      attempt.catch(() => undefined);
      await waitForLockWaits(observer, 1);
      // While it waits: Roast goes over the goal and back, as two UpdateMeals would leave it.
      await locker.query("UPDATE meals SET calories = 2500, version = version + 1 WHERE meal_id = ?", [roastId]);
      await locker.query("UPDATE meals SET calories = 1500, version = version + 1 WHERE meal_id = ?", [roastId]);
      await locker.commit();

      const failure: unknown = await attempt.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure, "the attempt's outcome").to.be.instanceOf(StaleReadError);
      // Control: a comparison of what ranking reads (the old check) finds Roast exactly as picked.
      const pick = picked.find((candidate) => candidate.name === "Roast")!;
      const [now] = await queryRows<{ calories: number; rating: number; name: string; version: string }>(
        observer,
        "SELECT name, calories, rating, version FROM meals WHERE meal_id = ?",
        [roastId],
      );
      expect({ name: now.name, calories: now.calories, rating: now.rating }).to.deep.equal({
        name: pick.name,
        calories: pick.calories,
        rating: pick.rating,
      });
      expect(now.version).to.equal(String(BigInt(pick.version!) + 2n));
    });
  });

  describe("lock footprint", () => {
    it("a recommendation does not wait for an unrelated customer's write in flight", async () => {
      await setGoal(fixture, "free", 2000);
      await logMeal(fixture, "busy", { name: "Toast", calories: 100, rating: 1 });
      // An open write of another customer, holding what the service's writers hold.
      await locker.beginTransaction();
      await locker.query(
        "INSERT INTO meal_logs (customer_id, log_version) VALUES ('busy', 1) ON DUPLICATE KEY UPDATE log_version = log_version + 1",
      );
      await locker.query(
        "INSERT INTO meals (customer_id, name, calories, rating, cuisine, eaten_time, version, create_time, update_time) VALUES ('busy', 'Bagel', 300, 5, '', NOW(3), 1, NOW(3), NOW(3))",
      );
      await locker.query("UPDATE meals SET calories = 120 WHERE customer_id = 'busy' AND name = 'Toast'");
      try {
        const answer = await fixture.meals.recommendMeals(
          { customerId: "free", maxResults: 3, timeZone: "" },
          { deadline: Date.now() + 3000 },
        );
        expect(answer.recommendations).to.have.length(3);
        await fixture.meals.getDailySummary({ customerId: "free", date: "", timeZone: "" }, { deadline: Date.now() + 3000 });
        await logMeal(fixture, "free", { name: "Apple", calories: 80 });
        expect(await lockWaitCount(observer)).to.equal(0);
      } finally {
        await locker.rollback();
      }
    });

    it("a recommendation in flight blocks only writes to the meals it involves", async () => {
      await setGoal(fixture, "holder", 2000);
      const goal = await goalsGateway.currentGoal("holder", callScope());
      let blockedWrites: Promise<unknown> | undefined;
      await database.transaction(async (session) => {
        const answer = recommendation({ customerId: "holder", today: today(), now: new Date(), maxResults: 1 });
        const { picks } = await answer.compute(session, goal, await answer.hold(session));
        expect(picks).to.have.length(1);
        expect(["Feast", "Roast"]).to.include(picks[0].name);

        // Not involved: another customer logs a meal; the catalog's owner changes a meal that was not picked.
        await logMeal(fixture, "bystander", { name: "Bagel", calories: 300, rating: 5 });
        await changeChefMeal("Salad", { rating: 4 }, 3000);
        expect(await lockWaitCount(observer)).to.equal(0);

        // Involved: the picked meal, and the customer's own meals; they go in once the transaction commits.
        blockedWrites = Promise.all([
          changeChefMeal(picks[0].name, { calories: 1450 }),
          logMeal(fixture, "holder", { name: "Snack", calories: 100 }),
        ]);
        blockedWrites.catch(() => undefined);
        await waitForLockWaits(observer, 2);
      }, callScope().signal);
      await blockedWrites;
    });
  });
});
