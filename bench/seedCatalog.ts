import type { Connection, RowDataPacket } from "mysql2/promise";
import { customerIdOf, customerIdSql, randomInteger } from "./catalog.js";
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
/** The issue's spread: meals eaten over the last 30 days. */
const HISTORY_DAYS = 30;

const MEAL_CALORIES_RANGE = [100, 1200] as const;
const RATING_RANGE = [1, 5] as const;

/** A meal a customer might log: one of 300 names, so recommendations have to skip repeated names. */
export function randomMealFields(): { name: string; calories: number; rating: number; cuisine: string } {
  const dish = randomInteger(0, DISHES.length - 1);
  return {
    name: `${STYLES[randomInteger(0, STYLES.length - 1)]}${DISHES[dish]}`,
    calories: randomInteger(...MEAL_CALORIES_RANGE),
    rating: randomInteger(...RATING_RANGE),
    cuisine: CUISINES[dish % CUISINES.length],
  };
}

/** An SQL expression for a random integer in [min, max], as randomInteger draws it. */
const sqlRandomInteger = ([min, max]: readonly [number, number]) => `(${min} + FLOOR(RAND() * ${max - min + 1}))`;

/** Meals generated per INSERT ... SELECT: one statement's undo stays small. */
const BULK_CHUNK = 1_000_000;

interface SecondaryIndex {
  name: string;
  unique: boolean;
  columns: string;
}

/** The table's secondary indexes as the migrations made them, to drop before a bulk load and build again after. */
async function secondaryIndexes(db: Connection, table: string): Promise<SecondaryIndex[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique,
       GROUP_CONCAT(CONCAT('\`', COLUMN_NAME, '\`', IF(SUB_PART IS NULL, '', CONCAT('(', SUB_PART, ')'))) ORDER BY SEQ_IN_INDEX) AS columns
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'
     GROUP BY INDEX_NAME, NON_UNIQUE`,
    [table],
  );
  return rows.map((row) => ({ name: String(row.name), unique: Number(row.nonUnique) === 0, columns: String(row.columns) }));
}

/** Whose meals to seed: catalog customers `from` (inclusive) to `to` (exclusive), or customers named outright (a few hundred). */
export type SeededCustomers = { from: number; to: number } | readonly string[];

/** The customer of sequence number `index` (an SQL expression), round-robin, with the values its placeholders take. */
function customerOfSql(customers: SeededCustomers, index: string): { sql: string; values: readonly string[]; count: number } {
  if ("from" in customers) {
    const count = customers.to - customers.from;
    return { sql: customerIdSql(`${customers.from} + MOD(${index}, ${count})`), values: [], count };
  }
  const count = customers.length;
  return { sql: `ELT(MOD(${index}, ${count}) + 1, ${customers.map(() => "?").join(", ")})`, values: customers, count };
}

/**
 * `count` meals written straight into the meals service's tables, spread
 * round-robin over the customers (so a customer's meals lie all over the
 * table, as meals logged over time do) and evenly over the last 30 days, each
 * customer's meal log row counting them as the service's own writes would.
 * Generated by the server (MariaDB's SEQUENCE engine) from the same names and
 * ranges as randomMealFields, with the secondary indexes dropped during the
 * load and built again after it: ten million meals in minutes, where
 * row-by-row index upkeep took that long for one million.
 */
export async function seedMeals(db: Connection, customers: SeededCustomers, count: number): Promise<void> {
  // The dish decides name and cuisine both, so it is drawn once per row, from the row's number.
  const dish = `MOD(CRC32(seq), ${DISHES.length})`;
  const names = `CONCAT(ELT(${sqlRandomInteger([1, STYLES.length])}, ${STYLES.map(() => "?").join(", ")}), ELT(${dish} + 1, ${DISHES.map(() => "?").join(", ")}))`;
  const cuisine = `ELT(MOD(${dish}, ${CUISINES.length}) + 1, ${CUISINES.map(() => "?").join(", ")})`;
  const customer = customerOfSql(customers, "seq");
  const indexes = await secondaryIndexes(db, "meals");
  if (indexes.length > 0)
    await db.query(`ALTER TABLE meals ${indexes.map((index) => `DROP INDEX \`${index.name}\``).join(", ")}`);
  for (let start = 0; start < count; start += BULK_CHUNK) {
    const end = Math.min(count, start + BULK_CHUNK) - 1;
    await db.query(
      `INSERT INTO meals (customer_id, name, calories, rating, cuisine, eaten_time, version, create_time, update_time, request_id)
       SELECT ${customer.sql}, ${names}, ${sqlRandomInteger(MEAL_CALORIES_RANGE)},
         ${sqlRandomInteger(RATING_RANGE)}, ${cuisine}, TIMESTAMPADD(MICROSECOND, -FLOOR(RAND() * ${HISTORY_DAYS * DAY_MS * 1000}), UTC_TIMESTAMP(3)),
         1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), NULL
       FROM seq_${start}_to_${end}`,
      [...customer.values, ...STYLES, ...DISHES, ...CUISINES],
    );
  }
  if (indexes.length > 0) {
    const add = indexes.map((index) => `ADD ${index.unique ? "UNIQUE " : ""}KEY \`${index.name}\` (${index.columns})`);
    await db.query(`ALTER TABLE meals ${add.join(", ")}`);
  }
  // Round-robin: the first count % customers customers got one meal more.
  await db.query(
    `INSERT INTO meal_logs (customer_id, log_version)
     SELECT ${customer.sql}, ${Math.floor(count / customer.count)} + (seq < ${count % customer.count}) FROM seq_0_to_${customer.count - 1}
     ON DUPLICATE KEY UPDATE log_version = log_version + VALUES(log_version)`,
    [...customer.values],
  );
}

/** Customers `from` (inclusive) to `to` (exclusive) of the catalog. */
export function catalogCustomers(from: number, to: number): string[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, offset) => customerIdOf(from + offset));
}
