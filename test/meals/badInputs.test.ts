import { expect } from "chai";
import type { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { itRefusesEach, type BadInputCase } from "../harness/itRefusesEach.js";
import { queryRows } from "../harness/testDatabase.js";

const meal: Meal = {
  mealId: "0",
  customerId: "",
  name: "Pasta",
  calories: 700,
  rating: 4,
  cuisine: "Italian",
  version: "0",
  etag: "",
};
const create = (f: MealplanFixture, change: Partial<Meal>, customerId = "c", requestId = "") =>
  f.meals.createMeal({ customerId, meal: { ...meal, ...change }, requestId });
const existing = { ...meal, customerId: "c", mealId: "1" };

const cases: BadInputCase<MealplanFixture>[] = [
  ["a bad customer_id", (f) => create(f, {}, "not valid!"), "customer_id"],
  ["an empty name", (f) => create(f, { name: "" }), "meal.name"],
  ["a blank name", (f) => create(f, { name: "   " }), "meal.name"],
  ["a 201-character name", (f) => create(f, { name: "n".repeat(201) }), "meal.name"],
  ["zero calories", (f) => create(f, { calories: 0 }), "meal.calories"],
  ["20001 calories", (f) => create(f, { calories: 20001 }), "meal.calories"],
  ["rating 0", (f) => create(f, { rating: 0 }), "meal.rating"],
  ["rating 6", (f) => create(f, { rating: 6 }), "meal.rating"],
  ["a 65-character cuisine", (f) => create(f, { cuisine: "c".repeat(65) }), "meal.cuisine"],
  ["an eaten_time before 1970", (f) => create(f, { eatenTime: new Date(-1000) }), "meal.eaten_time"],
  ["a bad request_id", (f) => create(f, {}, "c", "spaces are not allowed"), "request_id"],
  ["a meal_id of 0 on get", (f) => f.meals.getMeal({ customerId: "c", mealId: "0" }), "meal_id"],
  ["a negative meal_id on delete", (f) => f.meals.deleteMeal({ customerId: "c", mealId: "-4", etag: "" }), "meal_id"],
  [
    "an update naming an unknown field",
    (f) => f.meals.updateMeal({ meal: existing, updateMask: ["customer_id"] }),
    "update_mask",
  ],
  [
    "an update with nothing populated",
    (f) =>
      f.meals.updateMeal({
        meal: { mealId: "1", customerId: "c", name: "", calories: 0, rating: 0, cuisine: "", version: "0", etag: "" },
      }),
    "update_mask",
  ],
  [
    "an update to rating 9",
    (f) => f.meals.updateMeal({ meal: { ...existing, rating: 9 }, updateMask: ["rating"] }),
    "meal.rating",
  ],
  ["an update with a malformed etag", (f) => f.meals.updateMeal({ meal: { ...existing, etag: "7" } }), "meal.etag"],
  [
    "a list range that ends before it starts",
    (f) => f.meals.listMeals({ customerId: "c", pageSize: 0, pageToken: "", startTime: new Date(2000), endTime: new Date(1000) }),
    "end_time",
  ],
  [
    "a summary date that is not a date",
    (f) => f.meals.getDailySummary({ customerId: "c", date: "2026-02-30", timeZone: "" }),
    "date",
  ],
  [
    "a summary date in another format",
    (f) => f.meals.getDailySummary({ customerId: "c", date: "27/11/2026", timeZone: "" }),
    "date",
  ],
  ["an unknown time zone", (f) => f.meals.getDailySummary({ customerId: "c", date: "", timeZone: "Mars/Olympus" }), "time_zone"],
  ["stats over 0 days", (f) => f.meals.getCalorieStats({ customerId: "c", overDays: 0, timeZone: "" }), "over_days"],
  ["stats over 367 days", (f) => f.meals.getCalorieStats({ customerId: "c", overDays: 367, timeZone: "" }), "over_days"],
  ["21 recommendations", (f) => f.meals.recommendMeals({ customerId: "c", maxResults: 21, timeZone: "" }), "max_results"],
  [
    "a negative number of recommendations",
    (f) => f.meals.recommendMeals({ customerId: "c", maxResults: -1, timeZone: "" }),
    "max_results",
  ],
  [
    "recommendations in an unknown time zone",
    (f) => f.meals.recommendMeals({ customerId: "c", maxResults: 0, timeZone: "UTC+2" }),
    "time_zone",
  ],
];

describe("meals: bad input", () => {
  let fixture: MealplanFixture;
  before(async () => {
    fixture = await startMealplanFixture();
  });
  after(() => fixture.stop());

  itRefusesEach(cases, () => fixture, "meals.mealplan");

  it("wrote nothing for any of them", async () => {
    expect(await queryRows(fixture.mealsDb, "SELECT * FROM meals")).to.deep.equal([]);
  });
});
