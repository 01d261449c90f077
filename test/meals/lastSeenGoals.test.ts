import { status, type ServiceError } from "@grpc/grpc-js";
import { expect } from "chai";
import { LastSeenGoals } from "../../services/meals/goals/GoalsGateway.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { changeGoal, logMeal, setGoal } from "../harness/seed.js";

describe("meals: the last goal seen per customer, a first guess for the version protocol", () => {
  describe("LastSeenGoals", () => {
    const goal = (version: string) => ({ dailyCalories: 2000, version });

    it("forgets the least recently used customer first, a read counting as a use", () => {
      const lastSeen = new LastSeenGoals(2);
      lastSeen.remember("a", goal("1"));
      lastSeen.remember("b", goal("1"));
      expect(lastSeen.get("a")).to.deep.equal(goal("1"));
      lastSeen.remember("c", goal("1"));
      expect(lastSeen.size).to.equal(2);
      expect(lastSeen.get("b"), "b was used least recently").to.equal(undefined);
      expect(lastSeen.get("a")).to.deep.equal(goal("1"));
      expect(lastSeen.get("c")).to.deep.equal(goal("1"));
    });

    it("keeps the newest goal per customer, and forgets one on request", () => {
      const lastSeen = new LastSeenGoals(2);
      lastSeen.remember("a", goal("1"));
      lastSeen.remember("a", goal("2"));
      expect(lastSeen.size).to.equal(1);
      expect(lastSeen.get("a")).to.deep.equal(goal("2"));
      lastSeen.forget("a");
      expect(lastSeen.get("a")).to.equal(undefined);
    });
  });

  describe("through the services", () => {
    let fixture: MealplanFixture;
    const goalReadsOf = (customerId: string) =>
      fixture.logs.filter((line) => String(line.method).endsWith("/GetGoal") && line.customer_id === customerId).length;
    const recommend = (customerId: string) => fixture.meals.recommendMeals({ customerId, maxResults: 3, timeZone: "" });

    before(async () => {
      fixture = await startMealplanFixture();
      await logMeal(fixture, "chef", { name: "Feast", calories: 1400, rating: 5 });
      await logMeal(fixture, "chef", { name: "Salad", calories: 300, rating: 4 });
    });
    after(() => fixture.stop());

    it("asks the goals service once per answer while the goal it remembers is current", async () => {
      const created = await setGoal(fixture, "steady", 2000);
      await recommend("steady");
      expect(goalReadsOf("steady"), "first answer: fetch, then check").to.equal(2);
      const answer = await recommend("steady");
      expect(goalReadsOf("steady"), "second answer: the check alone").to.equal(3);
      expect(answer).to.include({ goalVersion: created.version, dailyCalories: 2000 });
      expect(answer.recommendations.map((meal) => meal.name)).to.deep.equal(["Feast", "Salad"]);
    });

    it("answers under the goal now in force when the one it remembers was changed behind its back", async () => {
      await setGoal(fixture, "moved", 2000);
      await recommend("moved");
      const lowered = await changeGoal(fixture, "moved", 1000);
      const answer = await recommend("moved");
      expect(answer).to.include({ goalVersion: lowered.version, dailyCalories: 1000, remainingCalories: 1000 });
      expect(
        answer.recommendations.map((meal) => meal.name),
        "Feast no longer fits",
      ).to.deep.equal(["Salad"]);
    });

    it("answers FAILED_PRECONDITION, not from memory, once the goal is deleted", async () => {
      const created = await setGoal(fixture, "gone", 2000);
      await recommend("gone");
      await fixture.goals.deleteGoal({ customerId: "gone", etag: created.etag });
      const refused = await recommend("gone").catch((error: ServiceError) => error);
      expect((refused as ServiceError).code).to.equal(status.FAILED_PRECONDITION);
      const summary = await fixture.meals
        .getDailySummary({ customerId: "gone", date: "", timeZone: "" })
        .catch((error: ServiceError) => error);
      expect((summary as ServiceError).code).to.equal(status.FAILED_PRECONDITION);
    });
  });
});
