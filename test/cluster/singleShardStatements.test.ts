import { expect } from "chai";
import { Database } from "../../shared/database/Database.js";
import type { Statement, Transaction } from "../../shared/database/Transaction.js";
import { startMealplanFixture, type MealplanFixture } from "../harness/mealplanFixture.js";
import { changeGoal, DAY_MS, logMeal, setGoal } from "../harness/seed.js";

/** A statement as a service sent it, with the values bound to its placeholders. */
interface Captured {
  statement: string;
  values: readonly unknown[];
}

/**
 * The statements that are not bound to one customer, by name (docs/scaling.md,
 * "The one statement not bound to a customer"): RecommendMeals' catalog read of
 * other customers' meals, and the share lock it then takes on the picked ones.
 */
const NAMED_CROSS_CUSTOMER: Record<string, RegExp> = {
  "catalog read: other customers' candidates of one rating":
    /FROM meals FORCE INDEX \(meals_rating_calories\) WHERE rating = \? AND calories <= \? AND customer_id <> \?/,
  "share lock on the picked candidates, by meal_id":
    /^SELECT .* FROM meals (FORCE INDEX \(PRIMARY\) )?WHERE meal_id IN \(\?\) (LOCK IN SHARE MODE|FOR SHARE)$/,
};

const TABLES = "goals|goal_revisions|meals|meal_logs";
/** Every place a statement names one of the services' tables. */
const TABLE_REFERENCE = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(?:${TABLES})\\b`, "gi");
/** customer_id = ? as one conjunct of a WHERE: after WHERE or AND, before AND or the end of the condition. */
const CUSTOMER_EQUALS = /\b(?:WHERE|AND)\s+customer_id\s*=\s*\?(?=\s+(?:AND|ORDER|LIMIT|FOR|LOCK|GROUP)\b|\s*\)|\s*$)/gi;
const INSERT_COLUMNS = new RegExp(`^INSERT(?:\\s+IGNORE)?\\s+INTO\\s+(?:${TABLES})\\s*\\(([^)]*)\\)\\s*VALUES\\s*\\(`, "i");

const normalize = (statement: string) => statement.replace(/\s+/g, " ").trim();
const placeholdersBefore = (statement: string, position: number) => (statement.slice(0, position).match(/\?/g) ?? []).length;

/**
 * The customers a statement is bound to: the values of its `customer_id = ?`
 * conjuncts and of the customer_id column of an INSERT. A statement is
 * single-shard when it is bound (every table it names is reached through such
 * a binding) and all bindings name the same customer.
 */
function boundCustomers({ statement, values }: Captured): { tables: number; bindings: unknown[] } {
  const tables = (statement.match(TABLE_REFERENCE) ?? []).length;
  const bindings = [...statement.matchAll(CUSTOMER_EQUALS)].map(
    (match) => values[placeholdersBefore(statement, match.index + match[0].length - 1)],
  );
  const insert = INSERT_COLUMNS.exec(statement);
  if (insert) {
    const column = insert[1]
      .split(",")
      .map((name) => name.trim())
      .indexOf("customer_id");
    if (column >= 0) bindings.push(values[column]);
  }
  return { tables, bindings };
}

function crossCustomerName(statement: string): string | undefined {
  return Object.entries(NAMED_CROSS_CUSTOMER).find(([, pattern]) => pattern.test(statement))?.[0];
}

/** Records every statement a Database sends, in autocommit or inside a transaction, until restored. */
function captureStatements(captured: Captured[]): () => void {
  // Taken off the prototype to be called with each instance as `this`, and put back by the returned function.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { query, transaction } = Database.prototype;
  const record = (statement: string, values?: readonly unknown[]) =>
    captured.push({ statement: normalize(statement), values: values ?? [] });
  Database.prototype.query = function <Result>(this: Database, statement: string, values?: readonly unknown[]) {
    record(statement, values);
    return query.call(this, statement, values) as Promise<Result>;
  };
  Database.prototype.transaction = function <T>(
    this: Database,
    work: (transaction: Transaction) => Promise<T>,
    signal: AbortSignal,
  ) {
    return transaction.call(
      this,
      (inner: Transaction) =>
        work({
          ...inner,
          dialect: inner.dialect,
          query: (statement: string, values?: readonly unknown[]) => {
            record(statement, values);
            return inner.query(statement, values);
          },
          send: (...statements: Statement[]) => {
            for (const sent of statements) record(sent.sql, sent.values);
            return inner.send(...statements);
          },
          sendAndCommit: (...statements: Statement[]) => {
            for (const sent of statements) record(sent.sql, sent.values);
            return inner.sendAndCommit(...statements);
          },
        } as Transaction),
      signal,
    ) as Promise<T>;
  };
  return () => Object.assign(Database.prototype, { query, transaction });
}

/** Every RPC of both services, for two customers, so that recommendations have other customers' meals to pick. */
async function callEveryMethod(fixture: MealplanFixture, customers: string[]): Promise<void> {
  const [alice, bob] = customers;
  for (const customerId of customers) await setGoal(fixture, customerId, 2400);
  const now = Date.now();
  const old = new Date(now - 3 * DAY_MS);
  await logMeal(fixture, bob, { name: "Dal", calories: 400, rating: 5, eatenTime: old });
  await logMeal(fixture, bob, { name: "Ramen", calories: 600, rating: 4, eatenTime: old });
  await logMeal(fixture, alice, { name: "Oatmeal", calories: 300, rating: 4, eatenTime: old });
  const meal = await logMeal(fixture, alice, { name: "Apple", calories: 90, eatenTime: new Date(now - 60_000) });
  const { meals, goals } = fixture;
  await meals.createMeal({ customerId: alice, meal: { ...meal, mealId: "0", name: "Pear" }, requestId: "pear-1" });
  await meals.createMeal({ customerId: alice, meal: { ...meal, mealId: "0", name: "Pear" }, requestId: "pear-1" });
  await meals.getMeal({ customerId: alice, mealId: meal.mealId });
  const range = { customerId: alice, startTime: old, endTime: new Date(now), pageSize: 1 };
  const { nextPageToken } = await meals.listMeals({ ...range, pageToken: "" });
  await meals.listMeals({ ...range, pageToken: nextPageToken });
  const updated = await meals.updateMeal({ meal: { ...meal, calories: 120 }, updateMask: ["calories"] });
  await meals.getDailySummary({ customerId: alice, date: new Date(now).toISOString().slice(0, 10), timeZone: "UTC" });
  await meals.getCalorieStats({ customerId: alice, overDays: 7, timeZone: "UTC" });
  await meals.recommendMeals({ customerId: alice, maxResults: 3, timeZone: "UTC" });
  await meals.deleteMeal({ customerId: alice, mealId: meal.mealId, etag: updated.meal!.etag });
  await changeGoal(fixture, alice, 2000);
  const { goal } = await goals.getGoal({ customerId: alice });
  await goals.getGoal({ customerId: alice, asOf: new Date() });
  await goals.listGoalRevisions({ customerId: alice, pageSize: 1, pageToken: "" });
  await goals.listGoalRevisions({ customerId: alice, pageSize: 10, pageToken: "", inForceStartTime: new Date(now - 1000) });
  await goals.deleteGoal({ customerId: bob, etag: "" });
  await goals.updateGoal({ goal: { ...goal!, dailyCalories: 2100 }, updateMask: ["daily_calories"] });
}

describe("cluster: every SQL statement the services send is bound to one customer (the Vitess step, docs/scaling.md)", function () {
  this.timeout(60_000);
  const captured: Captured[] = [];
  const customers = [`shard-${process.pid}-alice`, `shard-${process.pid}-bob`];

  before(async () => {
    const fixture = await startMealplanFixture();
    const restore = captureStatements(captured);
    try {
      await callEveryMethod(fixture, customers);
    } finally {
      restore();
      await fixture.stop();
    }
  });

  it("captured the statements of every RPC", () => {
    const distinct = new Set(captured.map((entry) => entry.statement));
    // Goals: get, lock, insert, update, revision insert, idempotency read, list, in force at, in force over a window.
    // Meals: log lock and share, find, create, update, delete, list, day, stats, own and others' candidates, picked lock.
    expect(distinct.size, [...distinct].join("\n")).to.be.greaterThan(18);
  });

  it("binds each statement, except the named catalog reads of RecommendMeals, to one customer by equality or by the row it inserts", () => {
    const problems: string[] = [];
    const crossCustomer = new Set<string>();
    for (const entry of captured) {
      const named = crossCustomerName(entry.statement);
      if (named) {
        crossCustomer.add(named);
        continue;
      }
      const { tables, bindings } = boundCustomers(entry);
      const distinctCustomers = new Set(bindings);
      if (tables === 0) continue;
      if (bindings.length < tables || distinctCustomers.size !== 1 || !customers.includes(String(bindings[0]))) {
        problems.push(`${entry.statement}\n    names ${tables} table(s), bound to ${JSON.stringify(bindings)}`);
      }
    }
    expect(problems, problems.join("\n")).to.deep.equal([]);
    expect([...crossCustomer].sort()).to.deep.equal(Object.keys(NAMED_CROSS_CUSTOMER).sort());
  });

  it("control: the rule rejects a statement bound by meal_id alone, by an OR, by <>, or to two customers", () => {
    const unbound = (statement: string, values: unknown[]) => {
      const { tables, bindings } = boundCustomers({ statement, values });
      return bindings.length < tables || new Set(bindings).size !== 1;
    };
    expect(unbound("UPDATE meals SET calories = ? WHERE meal_id = ? AND version = ?", [1, 2, 3])).to.equal(true);
    expect(unbound("SELECT * FROM meals WHERE customer_id = ? OR meal_id = ?", ["a", 1])).to.equal(true);
    expect(unbound("SELECT * FROM meals WHERE customer_id <> ?", ["a"])).to.equal(true);
    expect(
      unbound("(SELECT * FROM goals WHERE customer_id = ?) UNION ALL (SELECT * FROM goals WHERE customer_id = ?)", ["a", "b"]),
    ).to.equal(true);
    expect(unbound("DELETE FROM meals WHERE meal_id = ? AND customer_id = ? AND version = ?", [1, "a", 3])).to.equal(false);
    expect(unbound("INSERT INTO meal_logs (customer_id, log_version) VALUES (?, 1)", ["a"])).to.equal(false);
  });
});
