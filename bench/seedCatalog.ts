import type { Connection } from "mysql2/promise";
import { customerIdOf, randomInteger } from "./catalog.js";
import { DAILY_CALORIES_RANGE } from "./workloads/updateGoal.js";

/** Rows per multi-row INSERT: large enough that round trips do not matter, far below max_allowed_packet. */
const BATCH = 2000;

async function insertRows(db: Connection, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    await db.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ?`, [rows.slice(start, start + BATCH)]);
  }
}

/**
 * Goals written straight into the goals service's tables, as CreateGoal would
 * leave them: version 1 and its CREATE revision.
 */
export async function seedGoals(db: Connection, customerIds: string[], description = "bench"): Promise<void> {
  const now = new Date();
  const goals: unknown[][] = [];
  const revisions: unknown[][] = [];
  for (const [index, customerId] of customerIds.entries()) {
    const dailyCalories = randomInteger(...DAILY_CALORIES_RANGE);
    const kind = index % 2 === 0 ? "DIET" : "WORKOUT";
    goals.push([customerId, dailyCalories, kind, description, 1, now, now, null]);
    revisions.push([customerId, 1, "CREATE", dailyCalories, kind, description, now, now, null]);
  }
  await insertRows(
    db,
    "goals",
    ["customer_id", "daily_calories", "kind", "description", "version", "create_time", "update_time", "delete_time"],
    goals,
  );
  await insertRows(
    db,
    "goal_revisions",
    [
      "customer_id",
      "version",
      "action",
      "daily_calories",
      "kind",
      "description",
      "goal_create_time",
      "revision_time",
      "request_id",
    ],
    revisions,
  );
}

const DISHES = [
  "Pad Thai",
  "Caesar Salad",
  "Ramen",
  "Burrito",
  "Lentil Soup",
  "Margherita Pizza",
  "Poke Bowl",
  "Falafel Wrap",
  "Chicken Curry",
  "Oatmeal",
  "Sushi Platter",
  "Beef Stew",
  "Greek Yogurt",
  "Veggie Burger",
  "Pho",
  "Omelette",
  "Paella",
  "Shakshuka",
  "Bibimbap",
  "Tacos",
];
const STYLES = [
  "",
  "Spicy ",
  "Light ",
  "Classic ",
  "Homemade ",
  "Double ",
  "Mini ",
  "Vegan ",
  "Grilled ",
  "Family ",
  "Quick ",
  "Hearty ",
  "Green ",
  "Smoky ",
  "Sweet ",
];
const CUISINES = ["Thai", "Italian", "Japanese", "Mexican", "Indian", "Greek", "Korean", "Vietnamese", "Spanish", "American"];
const DAY_MS = 24 * 60 * 60 * 1000;
/** The spread: meals eaten over the last 30 days. */
const HISTORY_DAYS = 30;

/** A meal a customer might log: one of 300 names, so recommendations have to skip repeated names. */
export function randomMealFields(): { name: string; calories: number; rating: number; cuisine: string } {
  const dish = randomInteger(0, DISHES.length - 1);
  return {
    name: `${STYLES[randomInteger(0, STYLES.length - 1)]}${DISHES[dish]}`,
    calories: randomInteger(100, 1200),
    rating: randomInteger(1, 5),
    cuisine: CUISINES[dish % CUISINES.length],
  };
}

/**
 * `count` meals written straight into the meals service's tables, spread
 * evenly over `customerIds` and over the last 30 days, each customer's meal
 * log row counting them as the service's own writes would.
 */
export async function seedMeals(db: Connection, customerIds: string[], count: number): Promise<void> {
  const now = Date.now();
  const perCustomer = new Map<string, number>();
  const meals: unknown[][] = [];
  for (let index = 0; index < count; index++) {
    const customerId = customerIds[index % customerIds.length];
    perCustomer.set(customerId, (perCustomer.get(customerId) ?? 0) + 1);
    const { name, calories, rating, cuisine } = randomMealFields();
    const eaten = new Date(now - Math.random() * HISTORY_DAYS * DAY_MS);
    meals.push([customerId, name, calories, rating, cuisine, eaten, 1, eaten, eaten, null]);
    if (meals.length === BATCH || index === count - 1) {
      await insertRows(
        db,
        "meals",
        [
          "customer_id",
          "name",
          "calories",
          "rating",
          "cuisine",
          "eaten_time",
          "version",
          "create_time",
          "update_time",
          "request_id",
        ],
        meals.splice(0),
      );
    }
  }
  const logs = [...perCustomer.entries()];
  for (let start = 0; start < logs.length; start += BATCH) {
    await db.query(
      "INSERT INTO meal_logs (customer_id, log_version) VALUES ? ON DUPLICATE KEY UPDATE log_version = log_version + VALUES(log_version)",
      [logs.slice(start, start + BATCH)],
    );
  }
}

/** Customers `from` (inclusive) to `to` (exclusive) of the catalog. */
export function catalogCustomers(from: number, to: number): string[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, offset) => customerIdOf(from + offset));
}
