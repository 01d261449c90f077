import type { Transaction } from "../../../shared/database/Transaction.js";
import { REVISION_COLUMNS, toGoalRevisionRow, type GoalRevisionRow, type StoredRevision } from "./goalRows.js";

/** The pool, or the connection of a running transaction. */
type SqlQuery = Pick<Transaction, "query">;

/** Instants a goal history is asked for; a bound left out leaves that side open. */
export interface InForceWindow {
  start?: Date;
  /** Exclusive. */
  end?: Date;
}

/**
 * The revision in force at an instant: the one written last at or before it;
 * of two stamped in the same millisecond, the higher version. One seek into
 * goal_revisions_customer_time and one entry read backwards, however long the
 * history before it.
 */
const IN_FORCE_AT = `SELECT ${REVISION_COLUMNS} FROM goal_revisions
  WHERE customer_id = ? AND revision_time <= ? ORDER BY revision_time DESC, version DESC LIMIT 1`;

/** The goal in force at `instant`; null when none was (not created yet, or deleted). */
export async function goalInForceAt(sql: SqlQuery, customerId: string, instant: Date): Promise<GoalRevisionRow | null> {
  const [stored] = await sql.query<StoredRevision[]>(IN_FORCE_AT, [customerId, instant]);
  const revision = stored && toGoalRevisionRow(stored);
  return revision && revision.action !== "DELETE" ? revision : null;
}

/**
 * The revisions in force at some instant of the window, newest first: the one
 * in force at its start (a delete included: it says no goal was), then every
 * one written after the start and before the end. Pages by version like
 * listRevisions: only versions below `beforeVersion`, at most `limit`.
 *
 * One statement of two index ranges: the revision in force at the start is
 * found by one backward step from it, so revisions older than the window
 * cost nothing; those inside it are read and sorted, a few per window.
 */
export async function goalRevisionsInForce(
  sql: SqlQuery,
  customerId: string,
  window: InForceWindow,
  beforeVersion: string | undefined,
  limit: number,
): Promise<GoalRevisionRow[]> {
  const page =
    beforeVersion === undefined ? { condition: "", values: [] } : { condition: "AND version < ?", values: [beforeVersion] };
  const written = [
    ...(window.start ? [{ condition: "AND revision_time > ?", value: window.start }] : []),
    ...(window.end ? [{ condition: "AND revision_time < ?", value: window.end }] : []),
  ];
  const writtenInside = `SELECT ${REVISION_COLUMNS} FROM goal_revisions
    WHERE customer_id = ? ${written.map((bound) => bound.condition).join(" ")} ${page.condition}
    ORDER BY version DESC LIMIT ?`;
  const insideValues = [customerId, ...written.map((bound) => bound.value), ...page.values, limit];
  if (!window.start) return (await sql.query<StoredRevision[]>(writtenInside, insideValues)).map(toGoalRevisionRow);

  // The page condition applies after the revision in force at the start is
  // found: applied inside, it would find an older one.
  const rows = await sql.query<StoredRevision[]>(
    `(${writtenInside})
     UNION ALL
     (SELECT ${REVISION_COLUMNS} FROM (${IN_FORCE_AT}) AS at_start WHERE TRUE ${page.condition})
     ORDER BY version DESC LIMIT ?`,
    [...insideValues, customerId, window.start, ...page.values, limit],
  );
  return rows.map(toGoalRevisionRow);
}
