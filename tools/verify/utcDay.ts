const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day of an instant, as YYYY-MM-DD. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The UTC day `daysBack` days before the one `epochMs` falls in. */
export function utcDayBefore(epochMs: number, daysBack: number): string {
  return utcDay(epochMs - daysBack * DAY_MS);
}

/** The UTC day an ISO 8601 timestamp in UTC (…Z) falls in. */
export function utcDayOfIso(isoTime: string): string {
  return isoTime.slice(0, 10);
}
