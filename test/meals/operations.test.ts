import { expect } from "chai";
import { bufCurl } from "../harness/bufCurl.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { logMeal, setGoal } from "../harness/seed.js";

describe("meals: operations through buf curl", () => {
  let fixture: MealplanFixture;
  before(async () => {
    fixture = await startMealplanFixture();
    await setGoal(fixture, "ops", 2000);
    await logMeal(fixture, "chef", { name: "Curry", calories: 700, rating: 5, cuisine: "Indian" });
  });
  after(() => fixture.stop());

  it("lists the meals and health services through reflection", async () => {
    const { stdout, exitCode } = await bufCurl(["--list-services", `http://${fixture.mealsAddress}`]);
    expect(exitCode).to.equal(0);
    expect(stdout.trim().split("\n").sort()).to.deep.equal(["grpc.health.v1.Health", "mealplan.meals.v1.MealsService"]);
  });

  it("logs a meal and asks for recommendations with JSON", async () => {
    const url = `http://${fixture.mealsAddress}/mealplan.meals.v1.MealsService`;
    const logged = await bufCurl([
      "-d",
      '{"customer_id":"ops","meal":{"name":"Porridge","calories":300,"rating":4}}',
      `${url}/CreateMeal`,
    ]);
    expect(logged.exitCode).to.equal(0);
    expect((JSON.parse(logged.stdout) as { meal: unknown }).meal).to.include({ name: "Porridge", calories: 300 });

    const recommended = await bufCurl(["-d", '{"customer_id":"ops","time_zone":"Europe/Paris"}', `${url}/RecommendMeals`]);
    expect(recommended.exitCode).to.equal(0);
    expect(JSON.parse(recommended.stdout)).to.deep.include({ consumedCalories: 300, remainingCalories: 1700 });
  });

  it("reports the meals service healthy", async () => {
    const { stdout } = await bufCurl([
      "-d",
      '{"service":"mealplan.meals.v1.MealsService"}',
      `http://${fixture.mealsAddress}/grpc.health.v1.Health/Check`,
    ]);
    expect(JSON.parse(stdout)).to.deep.equal({ status: "SERVING" });
  });
});
