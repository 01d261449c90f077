/**
 * Calendar days in IANA zones for the checker, worked out on its own rather
 * than with the meals service's calendar: a day's first instant is found by
 * searching for the first millisecond Intl puts on that date, so a wrong
 * offset in the service cannot agree with a wrong offset here.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const dayStarts = new Map<string, number>();
const HOUR_MS = 3600_000;
/** No zone is further than 14 hours from UTC. */
const WIDEST_OFFSET_MS = 15 * HOUR_MS;

/** The date (YYYY-MM-DD) an instant falls on in the zone. */
export function localDate(epochMs: number, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(epochMs);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 24 * HOUR_MS).toISOString().slice(0, 10);
}

/** The first instant (epoch ms) of `date` in the zone. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const key = `${timeZone} ${date}`;
  const cached = dayStarts.get(key);
  if (cached !== undefined) return cached;
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let low = utcMidnight - WIDEST_OFFSET_MS;
  let high = utcMidnight + WIDEST_OFFSET_MS;
  // Dates only grow with time: find the first millisecond that is on `date` or later.
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (localDate(middle, timeZone) < date) low = middle + 1;
    else high = middle;
  }
  dayStarts.set(key, low);
  return low;
}
