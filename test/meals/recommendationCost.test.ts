import { expect } from "chai";
import type { RowDataPacket } from "mysql2/promise";
import { othersAtRating, ownCandidates, sumEaten } from "../../services/meals/repository/mealStatements.js";
import type { Statement } from "../../shared/database/Transaction.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { DAY_MS, logMeal } from "../harness/seed.js";

interface TableAccess {
  key?: string;
  using_index?: boolean;
}

interface Analyzed {
  sortMode?: string;
  table?: TableAccess;
}

/** The parts of MariaDB's ANALYZE FORMAT=JSON the checks look at: how the table was read, and how the sort kept its rows. */
function inspect(node: unknown, found: Analyzed = {}): Analyzed {
  if (typeof node !== "object" || node === null) return found;
  const record = node as Record<string, unknown>;
  if (typeof record.r_sort_mode === "string") found.sortMode = record.r_sort_mode;
  if (typeof record.table === "object" && record.table !== null) found.table = record.table;
  for (const value of Object.values(record)) inspect(value, found);
  return found;
}

/**
 * What a recommendation reads must not grow with the table: the customer's
 * own meals from their entries in meals_customer_history, others' meals from
 * meals_rating_calories, and nothing from the table itself, where neighbouring
 * entries' rows lie on as many pages as there are rows.
 */
describe("meals: what a recommendation reads, index by index", () => {
  let fixture: MealplanFixture;
  const analyze = async (statement: Statement) => {
    // ANALYZE goes inside a SET STATEMENT ... FOR prefix, whose settings then apply to it.
    const analyzed = statement.sql.replace(/^(SET STATEMENT .*? FOR )?/, "$1ANALYZE FORMAT=JSON ");
    const [[row]] = await fixture.mealsDb.query<RowDataPacket[]>(analyzed, [...statement.values]);
    return inspect(JSON.parse(String(Object.values(row)[0])));
  };
  const eatenBefore = () => new Date(Date.now() - 2 * DAY_MS);

  before(async () => {
    fixture = await startMealplanFixture();
    for (let day = 3; day < 30; day++) {
      await logMeal(fixture, "long", {
        name: `Meal of day ${day}`,
        calories: 100 + day,
        eatenTime: new Date(Date.now() - day * DAY_MS),
      });
    }
    await fixture.mealsDb.query("ANALYZE TABLE meals");
  });
  after(() => fixture.stop());

  it("today's sum comes from the index alone", async () => {
    const { table } = await analyze(sumEaten("long", { start: new Date(Date.now() - DAY_MS), end: new Date() }));
    expect(table).to.include({ key: "meals_customer_history", using_index: true });
  });

  it("the own candidates come from the index alone, sorted with their columns, not read back by row id", async () => {
    const analyzed = await analyze(ownCandidates("mariadb", "long", eatenBefore(), 5000));
    expect(analyzed.table).to.include({ key: "meals_customer_history", using_index: true });
    expect(analyzed.sortMode).to.not.equal(undefined);
    expect(analyzed.sortMode).to.not.contain("rowid");
  });

  it("the ranking scan of other customers' meals reads meals_rating_calories alone, in its order: no table rows, no sort", async () => {
    const analyzed = await analyze(othersAtRating("someone else", 5, 2000, { calories: 150, mealId: "999999" }, 8));
    expect(analyzed.table).to.include({ key: "meals_rating_calories", using_index: true });
    expect(analyzed.sortMode, "a filesort").to.equal(undefined);
  });

  it("control: left at the server's default, the same sort keeps row ids and reads every row back from the table", async () => {
    const statement = ownCandidates("mariadb", "long", eatenBefore(), 5000);
    const analyzed = await analyze({ ...statement, sql: statement.sql.replace(/^SET STATEMENT .* FOR /, "") });
    expect(analyzed.sortMode).to.contain("rowid");
  });
});
