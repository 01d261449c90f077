/** Revision times are DATETIME(3), written when a change happened: none lies before the epoch or after this. */
const LATEST_REVISION_TIME = Date.UTC(9999, 0, 1);

/**
 * An instant as the database is asked it: any valid Timestamp (the boundary checks the range), moved inside the
 * years a revision can have, where it selects the same revisions and the DATETIME column can compare with it
 * (MariaDB misreads a year before 1000). A day that began before 1970 in a zone east of UTC asks this.
 */
export function withinRevisionTimes(instant: Date): Date;
export function withinRevisionTimes(instant: Date | undefined): Date | undefined;
export function withinRevisionTimes(instant: Date | undefined): Date | undefined {
  return instant && new Date(Math.min(Math.max(instant.getTime(), 0), LATEST_REVISION_TIME));
}
