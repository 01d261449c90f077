import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import type { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { DAY_MS, logMeal } from "../harness/seed.js";
import { failureOf } from "../harness/statusDetails.js";
import { queryRows } from "../harness/testDatabase.js";

describe("meals: log, get, update, delete, list", () => {
  let fixture: MealplanFixture;
  const stored = async (mealId: string) =>
    (
      await queryRows<{ name: string; calories: number; version: string }>(
        fixture.mealsDb,
        "SELECT * FROM meals WHERE meal_id = ?",
        [mealId],
      )
    )[0];
  const blank: Meal = { mealId: "0", customerId: "", name: "", calories: 0, rating: 0, cuisine: "", version: "0", etag: "" };

  before(async () => {
    fixture = await startMealplanFixture();
  });
  after(() => fixture.stop());

  it("logs a meal eaten now by default and returns it from GetMeal", async () => {
    const before = Date.now();
    const meal = await logMeal(fixture, "ann", { name: "Burrito", calories: 800, rating: 4, cuisine: "Mexican" });
    expect(meal).to.include({
      customerId: "ann",
      name: "Burrito",
      calories: 800,
      rating: 4,
      cuisine: "Mexican",
      version: "1",
      etag: "v1",
    });
    expect(meal.eatenTime!.getTime()).to.be.within(before - 5, Date.now() + 5);
    const { meal: fetched } = await fixture.meals.getMeal({ customerId: "ann", mealId: meal.mealId });
    expect(fetched).to.deep.equal(meal);
    expect(await stored(meal.mealId)).to.include({ name: "Burrito", calories: 800, version: "1" });
  });

  it("keeps the eaten_time it is given", async () => {
    const eatenTime = new Date(Date.now() - 3 * DAY_MS);
    const meal = await logMeal(fixture, "ann", { name: "Soup", calories: 300, eatenTime });
    expect(meal.eatenTime).to.deep.equal(eatenTime);
  });

  it("answers a retried create with the same request_id with the first meal, logging it once", async () => {
    const request = { customerId: "bea", meal: { ...blank, name: "Pho", calories: 600, rating: 5 }, requestId: "retry-1" };
    const first = await fixture.meals.createMeal(request);
    const retry = await fixture.meals.createMeal(request);
    expect(retry.meal).to.deep.equal(first.meal);
    expect(await queryRows(fixture.mealsDb, "SELECT * FROM meals WHERE customer_id = 'bea'")).to.have.length(1);
  });

  it("does not show one customer's meal to another", async () => {
    const meal = await logMeal(fixture, "ann", { name: "Private", calories: 100 });
    const failure = await failureOf(fixture.meals.getMeal({ customerId: "bea", mealId: meal.mealId }));
    expect(failure.code).to.equal(status.NOT_FOUND);
    expect(failure.reason).to.equal("MEAL_NOT_FOUND");
    const update = await failureOf(
      fixture.meals.updateMeal({ meal: { ...meal, customerId: "bea", calories: 1 }, updateMask: ["calories"] }),
    );
    expect(update.code).to.equal(status.NOT_FOUND);
    expect(await stored(meal.mealId)).to.include({ calories: 100 });
  });

  it("updates the fields in the mask, bumps the version, and refuses a stale etag with ABORTED", async () => {
    const meal = await logMeal(fixture, "cal", { name: "Taco", calories: 400, rating: 3 });
    const { meal: updated } = await fixture.meals.updateMeal({
      meal: { ...meal, calories: 450, name: "ignored" },
      updateMask: ["calories"],
    });
    expect(updated).to.include({ name: "Taco", calories: 450, version: "2", etag: "v2" });

    const stale = await failureOf(fixture.meals.updateMeal({ meal: { ...meal, calories: 999 } }));
    expect(stale.code).to.equal(status.ABORTED);
    expect(stale.reason).to.equal("ETAG_MISMATCH");
    expect(await stored(meal.mealId)).to.include({ calories: 450, version: "2" });

    const { meal: current } = await fixture.meals.updateMeal({ meal: { ...updated!, rating: 5 }, updateMask: ["rating"] });
    expect(current).to.include({ rating: 5, version: "3" });
  });

  it("deletes a meal, refusing a stale etag first", async () => {
    const meal = await logMeal(fixture, "cal", { name: "Gone", calories: 100 });
    await fixture.meals.updateMeal({ meal: { ...meal, calories: 120 }, updateMask: ["calories"] });
    expect((await failureOf(fixture.meals.deleteMeal({ customerId: "cal", mealId: meal.mealId, etag: "v1" }))).code).to.equal(
      status.ABORTED,
    );
    expect(await stored(meal.mealId)).to.not.equal(undefined);
    await fixture.meals.deleteMeal({ customerId: "cal", mealId: meal.mealId, etag: "v2" });
    expect(await stored(meal.mealId)).to.equal(undefined);
    expect((await failureOf(fixture.meals.deleteMeal({ customerId: "cal", mealId: meal.mealId, etag: "" }))).code).to.equal(
      status.NOT_FOUND,
    );
  });

  describe("ListMeals", () => {
    const base = Date.UTC(2026, 0, 10, 12);
    before(async () => {
      for (let hour = 0; hour < 7; hour++) {
        await logMeal(fixture, "dan", { name: `Meal ${hour}`, calories: 100 + hour, eatenTime: new Date(base + hour * 3600000) });
      }
      // Two meals at the same instant: the order must still be total.
      await logMeal(fixture, "dan", { name: "Twin", calories: 100, eatenTime: new Date(base + 3 * 3600000) });
    });

    async function allPages(pageSize: number, range: { startTime?: Date; endTime?: Date } = {}) {
      const pages: string[][] = [];
      let pageToken = "";
      do {
        const response = await fixture.meals.listMeals({ customerId: "dan", pageSize, pageToken, ...range });
        pages.push(response.meals.map((meal) => meal.name));
        pageToken = response.nextPageToken;
      } while (pageToken !== "");
      return pages;
    }

    it("lists newest first across pages, without gaps or repeats", async () => {
      const pages = await allPages(3);
      expect(pages.flat()).to.deep.equal(["Meal 6", "Meal 5", "Meal 4", "Twin", "Meal 3", "Meal 2", "Meal 1", "Meal 0"]);
      expect(pages.map((page) => page.length)).to.deep.equal([3, 3, 2]);
      expect(await allPages(4)).to.have.length(2);
      expect((await allPages(0)).flat()).to.have.length(8);
    });

    it("keeps to [start_time, end_time)", async () => {
      const pages = await allPages(2, { startTime: new Date(base + 2 * 3600000), endTime: new Date(base + 5 * 3600000) });
      expect(pages.flat()).to.deep.equal(["Meal 4", "Twin", "Meal 3", "Meal 2"]);
    });

    it("returns an empty list for a customer without meals", async () => {
      expect(await fixture.meals.listMeals({ customerId: "nobody", pageSize: 0, pageToken: "" })).to.deep.equal({
        meals: [],
        nextPageToken: "",
      });
    });

    it("refuses a token used with another range, a forged token and a negative size", async () => {
      const { nextPageToken } = await fixture.meals.listMeals({ customerId: "dan", pageSize: 2, pageToken: "" });
      const otherRange = await failureOf(
        fixture.meals.listMeals({ customerId: "dan", pageSize: 2, pageToken: nextPageToken, startTime: new Date(base) }),
      );
      expect(otherRange.fieldViolations[0].field).to.equal("page_token");
      const forged = await failureOf(
        fixture.meals.listMeals({ customerId: "dan", pageSize: 2, pageToken: "eyJwIjpbMSwieCJdfQ" }),
      );
      expect(forged.code).to.equal(status.INVALID_ARGUMENT);
      const negative = await failureOf(fixture.meals.listMeals({ customerId: "dan", pageSize: -3, pageToken: "" }));
      expect(negative.fieldViolations[0].field).to.equal("page_size");
    });
  });
});
