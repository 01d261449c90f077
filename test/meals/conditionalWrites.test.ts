import { status } from "@grpc/grpc-js";
import { expect } from "chai";
import type { Connection } from "mysql2/promise";
import type { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { logMeal } from "../harness/seed.js";
import { failureOf } from "../harness/statusDetails.js";
import { openTestConnection, queryRows, waitForLockWaits } from "../harness/testDatabase.js";

/**
 * UpdateMeal and DeleteMeal write with one version-conditional statement that
 * also names the customer, without reading the meal first under a lock: the
 * statement works on the latest committed row, and its affected rows decide.
 */
describe("meals: conditional writes", () => {
  let fixture: MealplanFixture;
  let locker: Connection;
  let observer: Connection;
  const stored = async (mealId: string) =>
    (
      await queryRows<{ name: string; calories: number; version: string }>(
        fixture.mealsDb,
        "SELECT name, calories, version FROM meals WHERE meal_id = ?",
        [mealId],
      )
    )[0];
  /** Another writer renames the meal to version 2 and keeps the row locked until `locker.commit()`. */
  const holdMealWithRename = async (meal: Meal) => {
    await locker.beginTransaction();
    await locker.query("UPDATE meals SET name = 'Renamed', version = 2 WHERE meal_id = ?", [meal.mealId]);
  };

  before(async () => {
    fixture = await startMealplanFixture();
    locker = await openTestConnection(fixture.mealsDatabase);
    observer = await openTestConnection(fixture.mealsDatabase);
  });
  after(async () => {
    await locker.end();
    await observer.end();
    await fixture.stop();
  });

  it("an update without an etag that waited for the row keeps the change committed meanwhile", async () => {
    const meal = await logMeal(fixture, "dan", { name: "Stew", calories: 500 });
    await holdMealWithRename(meal);
    const update = fixture.meals.updateMeal({ meal: { ...meal, calories: 450, etag: "" }, updateMask: ["calories"] });
    update.catch(() => undefined);
    await waitForLockWaits(observer, 1);
    await locker.commit();

    const { meal: updated } = await update;
    expect(updated).to.include({ name: "Renamed", calories: 450, version: "3" });
    expect(await stored(meal.mealId)).to.deep.equal({ name: "Renamed", calories: 450, version: "3" });
  });

  it("an update with the etag it read is refused once the row moved while it waited: the current etag, nothing written", async () => {
    const meal = await logMeal(fixture, "dan", { name: "Pie", calories: 300 });
    await holdMealWithRename(meal);
    const update = failureOf(fixture.meals.updateMeal({ meal: { ...meal, calories: 250 }, updateMask: ["calories"] }));
    await waitForLockWaits(observer, 1);
    await locker.commit();

    const failure = await update;
    expect(failure.code).to.equal(status.ABORTED);
    expect(failure.metadata).to.include({ expected_etag: "v1", current_etag: "v2" });
    expect(await stored(meal.mealId)).to.deep.equal({ name: "Renamed", calories: 300, version: "2" });
  });

  it("another customer can neither change nor delete the meal, whose meal_id they name", async () => {
    const meal = await logMeal(fixture, "eve", { name: "Mine", calories: 200 });
    const update = await failureOf(
      fixture.meals.updateMeal({ meal: { ...meal, customerId: "mal", calories: 1, etag: "" }, updateMask: ["calories"] }),
    );
    const deletion = await failureOf(fixture.meals.deleteMeal({ customerId: "mal", mealId: meal.mealId, etag: "" }));
    expect([update.code, deletion.code]).to.deep.equal([status.NOT_FOUND, status.NOT_FOUND]);
    expect(await stored(meal.mealId)).to.deep.equal({ name: "Mine", calories: 200, version: "1" });
  });
});
