import { expect } from "chai";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { DAY_MS, logMeal, setGoal } from "../harness/seed.js";

describe("meals: RecommendMeals ranking", () => {
  let fixture: MealplanFixture;
  const recommend = (customerId: string, maxResults = 0) =>
    fixture.meals.recommendMeals({ customerId, maxResults, timeZone: "" });
  const names = async (customerId: string, maxResults = 0) =>
    (await recommend(customerId, maxResults)).recommendations.map((r) => r.name);

  before(async () => {
    fixture = await startMealplanFixture();
    await setGoal(fixture, "me", 1000);
    await logMeal(fixture, "me", { name: "Lunch", calories: 400 }); // 600 left today
    await logMeal(fixture, "other", { name: "Exactly", calories: 600, rating: 3 });
    await logMeal(fixture, "other", { name: "Too big", calories: 601, rating: 5 });
    await logMeal(fixture, "other", { name: "Ramen", calories: 500, rating: 4, cuisine: "Japanese" });
    await logMeal(fixture, "third", { name: "ramen ", calories: 550, rating: 4, cuisine: "Japanese" });
    await logMeal(fixture, "third", { name: "Toast", calories: 200, rating: 2 });
  });
  after(() => fixture.stop());

  it("recommends only meals that fit what is left (equal fits), best rating first, one per name", async () => {
    const answer = await recommend("me", 20);
    expect(answer).to.include({ dailyCalories: 1000, consumedCalories: 400, remainingCalories: 600 });
    // "ramen " (550) outranks "Ramen" (500) at the same score, so it is the one kept.
    expect(answer.recommendations.map((r) => [r.name, r.calories, r.score])).to.deep.equal([
      ["ramen ", 550, 4],
      ["Exactly", 600, 3],
      ["Toast", 200, 2],
    ]);
    // Lunch is the customer's own meal of today: not a candidate.
    for (const recommendation of answer.recommendations) expect(recommendation.calories).to.be.at.most(600);
    expect(answer.recommendations[0]).to.include({ cuisine: "Japanese", rating: 4 });
    expect(answer.recommendations[0].mealId).to.match(/^\d+$/);
  });

  it("returns 3 by default and at most max_results", async () => {
    expect(await names("me")).to.have.length(3);
    expect(await names("me", 1)).to.deep.equal(["ramen "]);
  });

  it("counts the customer's own meals only after two days, then with double weight", async () => {
    await setGoal(fixture, "veteran", 2000);
    await logMeal(fixture, "veteran", {
      name: "Recent favourite",
      calories: 300,
      rating: 5,
      eatenTime: new Date(Date.now() - DAY_MS),
    });
    await logMeal(fixture, "veteran", {
      name: "Old favourite",
      calories: 300,
      rating: 3,
      eatenTime: new Date(Date.now() - 3 * DAY_MS),
    });
    await logMeal(fixture, "veteran", {
      name: "Old dud",
      calories: 300,
      rating: 2,
      eatenTime: new Date(Date.now() - 3 * DAY_MS),
    });
    const answer = await recommend("veteran", 20);
    const scored = answer.recommendations.map((r) => [r.name, r.score]);
    expect(scored[0]).to.deep.equal(["Old favourite", 6]);
    // Rating 2 doubled ties with others' rating 4; the larger meal goes first.
    expect(scored).to.deep.include(["Old dud", 4]);
    expect(scored.findIndex(([name]) => name === "Old dud")).to.be.greaterThan(scored.findIndex(([name]) => name === "ramen "));
    expect(scored.map(([name]) => name)).not.to.include("Recent favourite");
  });

  it("breaks ties deterministically: larger meal, then newer meal", async () => {
    await setGoal(fixture, "tie", 5000);
    const first = await logMeal(fixture, "chefs", { name: "Twin A", calories: 700, rating: 5 });
    const second = await logMeal(fixture, "chefs", { name: "Twin B", calories: 700, rating: 5 });
    await logMeal(fixture, "chefs", { name: "Twin C", calories: 650, rating: 5 });
    const ranked = (await recommend("tie", 20)).recommendations.filter((r) => r.name.startsWith("Twin"));
    expect(ranked.map((r) => r.mealId)).to.deep.equal([second.mealId, first.mealId, ranked[2].mealId]);
    expect(ranked[2].name).to.equal("Twin C");
    expect((await recommend("tie", 20)).recommendations).to.deep.equal((await recommend("tie", 20)).recommendations);
  });

  it("answers with an empty list, not an error, when nothing fits", async () => {
    await setGoal(fixture, "full", 150);
    const answer = await recommend("full");
    expect(answer).to.deep.include({ recommendations: [], remainingCalories: 150 });
  });

  it("scans past many same-named meals to fill the list", async () => {
    await setGoal(fixture, "picky", 3000);
    for (let copy = 0; copy < 70; copy++) await logMeal(fixture, "spammer", { name: "Same", calories: 2900 - copy, rating: 5 });
    expect(await names("picky", 3)).to.deep.equal(["Same", "Twin B", "Twin A"]);
  });
});
