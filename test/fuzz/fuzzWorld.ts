import fc from "fast-check";
import type { MealplanFixture } from "../harness/mealplanFixture.js";
import { DAY_MS, logMeal, setGoal } from "../harness/seed.js";
import type { FieldHints } from "./messageArbitrary.js";

/**
 * The data a fuzz run starts from: customers with and without a goal and meals, so that generated requests
 * that name them reach NOT_FOUND, ETAG_MISMATCH, FAILED_PRECONDITION and the happy paths, not only validation.
 * The sentinel is never named by a generated request: the background probe reads it while the fuzzer runs.
 */
export interface FuzzWorld {
  customers: string[];
  mealIds: string[];
  sentinel: { customerId: string; mealId: string };
}

export const SENTINEL_CUSTOMER = "fuzz-sentinel";

const GOALS: [customerId: string, dailyCalories: number][] = [
  ["fuzz-ann", 2000],
  ["fuzz-bob", 1800],
];

const MEALS = [
  ["fuzz-ann", "Tacos", 800, 0],
  ["fuzz-ann", "Salad", 300, 3],
  ["fuzz-ann", "Pasta", 900, 40],
  ["fuzz-cat", "Curry", 700, 0],
  ["fuzz-cat", "Tacos", 500, 1],
] as const;

async function hasGoal(fixture: MealplanFixture, customerId: string): Promise<boolean> {
  const [rows] = await fixture.db.query("SELECT 1 FROM goals WHERE customer_id = ? AND delete_time IS NULL", [customerId]);
  return (rows as unknown[]).length > 0;
}

/**
 * Gives back what the previous method's requests deleted (goals, meals), so that every method starts from
 * customers with and without a goal and meals that exist; returns the world with the new meals' ids.
 */
export async function refreshFuzzWorld(fixture: MealplanFixture, world: FuzzWorld): Promise<FuzzWorld> {
  for (const [customerId, dailyCalories] of GOALS) {
    if (!(await hasGoal(fixture, customerId))) await setGoal(fixture, customerId, dailyCalories);
  }
  const now = Date.now();
  const mealIds: string[] = [];
  for (const [customerId, name, calories, daysAgo] of MEALS) {
    const meal = await logMeal(fixture, customerId, { name, calories, rating: 4, eatenTime: new Date(now - daysAgo * DAY_MS) });
    mealIds.push(meal.mealId);
  }
  return { ...world, mealIds };
}

export async function seedFuzzWorld(fixture: MealplanFixture): Promise<FuzzWorld> {
  await setGoal(fixture, SENTINEL_CUSTOMER, 2000);
  const sentinelMeal = await logMeal(fixture, SENTINEL_CUSTOMER, { name: "Sentinel soup", calories: 300 });
  const empty: FuzzWorld = {
    // fuzz-ann: goal and meals; fuzz-bob: goal only; fuzz-cat: meals only; fuzz-dan: nothing; FUZZ-ANN: another customer.
    customers: ["fuzz-ann", "fuzz-bob", "fuzz-cat", "fuzz-dan", "FUZZ-ANN"],
    mealIds: [],
    sentinel: { customerId: SENTINEL_CUSTOMER, mealId: sentinelMeal.mealId },
  };
  return refreshFuzzWorld(fixture, empty);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Page tokens shaped like the services' own (pagination.ts), with positions at the edges of what they parse. */
function craftedPageTokens(customers: string[]): string[] {
  const positions = [
    [0, "1"],
    [1e300, "1"],
    [-8.64e15 - 1, "1"],
    [Number.MAX_SAFE_INTEGER + 2, "9223372036854775807"],
    [0, "9999999999999999999"],
  ];
  const versions = ["1", "9223372036854775807", "9999999999999999999"];
  return customers.flatMap((customerId) => [
    ...positions.map((p) => base64url({ p, q: JSON.stringify([customerId, null, null]) })),
    ...versions.map((p) => base64url({ p, q: customerId })),
  ]);
}

/** Values that look right, by field name, for the limits the README gives; hostileValues.ts supplies the rest. */
export function worldHints(world: FuzzWorld): FieldHints {
  return {
    customer_id: fc.constantFrom(...world.customers),
    meal_id: fc.constantFrom(...world.mealIds.map(BigInt)),
    name: fc.constantFrom("Tacos", "Soup", "Curry"),
    calories: fc.integer({ min: 1, max: 20000 }),
    rating: fc.integer({ min: 1, max: 5 }),
    cuisine: fc.constantFrom("", "Mexican", "Thai"),
    daily_calories: fc.integer({ min: 1, max: 50000 }),
    kind: fc.constantFrom(1, 2),
    description: fc.constantFrom("", "lose weight"),
    etag: fc.constantFrom(
      "",
      "v1",
      "v2",
      "v3",
      "v0",
      "v01",
      "v9223372036854775807",
      "v9223372036854775808",
      "v99999999999999999999",
    ),
    request_id: fc.oneof(fc.constantFrom("", "retry-1", "retry-2"), fc.uuid()),
    time_zone: fc.constantFrom(
      "",
      "UTC",
      "Europe/Paris",
      "America/Los_Angeles",
      "Asia/Kolkata",
      "Pacific/Kiritimati",
      "Etc/GMT+12",
      "utc",
    ),
    date: fc.oneof(
      fc.constantFrom("", "1970-01-01", "9999-12-31", "2028-02-29", "2026-02-29", "0000-01-01", "1969-12-31"),
      fc
        .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
    ),
    over_days: fc.integer({ min: 1, max: 366 }),
    max_results: fc.integer({ min: 0, max: 20 }),
    page_size: fc.integer({ min: 0, max: 1000 }),
    page_token: fc.constantFrom("", ...craftedPageTokens(world.customers)),
  };
}
