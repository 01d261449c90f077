import type { Connection } from "mysql2/promise";
import { queryRows } from "../harness/testDatabase.js";

/** Every table of both services, each ordered by its primary key so that two snapshots compare row by row. */
const GOALS_TABLES = { goals: "customer_id", goal_revisions: "customer_id, version" };
const MEALS_TABLES = { meals: "meal_id", meal_logs: "customer_id" };

export type Snapshot = Record<string, unknown[]>;

async function snapshotTables(db: Connection, tables: Record<string, string>): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  for (const [table, primaryKey] of Object.entries(tables)) {
    snapshot[table] = await queryRows(db, `SELECT * FROM ${table} ORDER BY ${primaryKey}`);
  }
  return snapshot;
}

/** What both databases hold now, through the test's own connections (outside any transaction of the services). */
export async function snapshotDatabases(goalsDb: Connection, mealsDb: Connection): Promise<Snapshot> {
  const [goals, meals] = await Promise.all([snapshotTables(goalsDb, GOALS_TABLES), snapshotTables(mealsDb, MEALS_TABLES)]);
  return { ...goals, ...meals };
}

/** The tables whose rows differ, with the first differing row of each, for a failure message. */
export function snapshotDifferences(before: Snapshot, after: Snapshot): string[] {
  const differences: string[] = [];
  for (const table of Object.keys(before)) {
    const rowsBefore = before[table].map((row) => JSON.stringify(row));
    const rowsAfter = after[table].map((row) => JSON.stringify(row));
    if (rowsBefore.join("\n") === rowsAfter.join("\n")) continue;
    const index = rowsBefore.findIndex((row, i) => row !== rowsAfter[i]);
    const at = index === -1 ? rowsBefore.length : index;
    differences.push(
      `${table}: ${rowsBefore.length} -> ${rowsAfter.length} rows; row ${at}: ${rowsBefore[at]} -> ${rowsAfter[at]}`,
    );
  }
  return differences;
}
