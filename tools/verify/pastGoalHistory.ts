import type { Connection } from "mysql2/promise";
import { GOAL_COLUMNS, REVISION_COLUMNS, type RevisionActionName } from "../../services/goals/repository/goalRows.js";

/** One change of a goal at a past instant. */
export interface PastRevision {
  at: string | Date;
  action: RevisionActionName;
  /** Ignored for a delete, which keeps the calories the goal had. */
  dailyCalories?: number;
}

/**
 * Writes a customer's goal history as if the goals service had written it at
 * the instants given (oldest first, versions 1, 2, ...), with the goals row in
 * step with the newest revision: the service's API stamps revisions with the
 * time they are written, so the past can only be written into its database
 * (by the tests, and by verify before its workload).
 */
export async function writePastGoalHistory(db: Connection, customerId: string, revisions: PastRevision[]): Promise<void> {
  let dailyCalories = 0;
  let createTime = new Date(0);
  const rows = revisions.map((revision, index) => {
    const at = new Date(revision.at);
    if (revision.action === "CREATE") createTime = at;
    if (revision.action !== "DELETE") dailyCalories = revision.dailyCalories ?? dailyCalories;
    return { customerId, version: index + 1, action: revision.action, dailyCalories, createTime, at };
  });
  await db.query(`INSERT INTO goal_revisions (${REVISION_COLUMNS}) VALUES ?`, [
    rows.map((row) => [row.customerId, row.version, row.action, row.dailyCalories, "DIET", "", row.createTime, row.at, null]),
  ]);
  const newest = rows[rows.length - 1];
  const goal = [
    customerId,
    newest.dailyCalories,
    "DIET",
    "",
    newest.version,
    newest.createTime,
    newest.at,
    newest.action === "DELETE" ? newest.at : null,
  ];
  await db.query(
    `INSERT INTO goals (${GOAL_COLUMNS}) VALUES (?) ON DUPLICATE KEY UPDATE daily_calories = VALUES(daily_calories),
      version = VALUES(version), create_time = VALUES(create_time), update_time = VALUES(update_time), delete_time = VALUES(delete_time)`,
    [goal],
  );
}
