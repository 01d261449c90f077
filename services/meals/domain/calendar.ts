import type { FieldViolation } from "../../../shared/errors/DomainError.js";
import { quoteInput } from "../../../shared/errors/quoteInput.js";

/**
 * Calendar days in IANA time zones, with nothing but Intl: a day in a zone is
 * the half-open interval of UTC instants from its local midnight to the next.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function utcTimeOf(instant: number): LocalTime {
  const date = new Date(instant);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/** The default zone skips Intl: formatToParts was the meals service's costliest function of its own (docs/performance.md). */
function localTimeOf(instant: number, timeZone: string): LocalTime {
  if (timeZone === "UTC") return utcTimeOf(instant);
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .filter((part) => part.type !== "literal")
      .map((part) => [part.type, Number(part.value)]),
  );
  return parts as unknown as LocalTime;
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  const local = localTimeOf(instant, timeZone);
  const wallClock = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return wallClock - Math.floor(instant / 1000) * 1000;
}

/** A calendar date, YYYY-MM-DD. */
export type CalendarDate = string;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseCalendarDate(date: string): { year: number; month: number; day: number } | undefined {
  const match = CALENDAR_DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  const valid = year >= 1970 && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
  return valid ? { year, month, day } : undefined;
}

export function localDateOf(instant: Date, timeZone: string): CalendarDate {
  const { year, month, day } = localTimeOf(instant.getTime(), timeZone);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const { year, month, day } = parseCalendarDate(date)!;
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

interface CivilDay {
  year: number;
  month: number;
  day: number;
}

/** The day after, by the proleptic Gregorian calendar; the year may pass 9999 (Date.UTC carries the overflow). */
function nextCivilDay({ year, month, day }: CivilDay): CivilDay {
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/**
 * The first instant of a day in the zone, for any day including 10000-01-01, which no CalendarDate names:
 * the end of 9999-12-31's window is that day's start, and must be computable.
 */
function startOfCivilDay({ year, month, day }: CivilDay, timeZone: string): number {
  const wallClockMidnight = Date.UTC(year, month - 1, day);
  // Midnight is at one of the offsets in force around it; across a DST change the
  // two guesses differ, and the right one is the earliest that falls on the day.
  const first = wallClockMidnight - offsetAt(wallClockMidnight, timeZone);
  const second = wallClockMidnight - offsetAt(first, timeZone);
  const onDay = [first, second].filter((instant) => {
    const local = localTimeOf(instant, timeZone);
    return local.year === year && local.month === month && local.day === day;
  });
  return Math.min(...onDay);
}

/** The first instant of `date` in the zone (local midnight, or the first existing time after a DST gap). */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  return new Date(startOfCivilDay(parseCalendarDate(date)!, timeZone));
}

export interface DayWindow {
  start: Date;
  /** Exclusive. */
  end: Date;
}

/**
 * The last millisecond of the range a google.protobuf.Timestamp can name, 9999-12-31T23:59:59.999Z, which is
 * also the last a DATETIME(3) can hold. Not the instant after it: MariaDB compares a DATETIME with
 * '10000-01-01 00:00:00.000' after truncating it (warning 1292), so `eaten_time < '10000-...'` is false for
 * every row.
 */
const LAST_MILLISECOND_OF_TIMESTAMP_RANGE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The instants of days `from`..`to` (inclusive) in the zone.
 *
 * The end is the start of the day after `to`, computed as an instant, not through a CalendarDate: the day
 * after 9999-12-31 has no YYYY-MM-DD name, and going through one made GetDailySummary of 9999-12-31 fail.
 * Every valid date keeps a window (refusing the last days of the calendar would make the answer depend on the
 * zone), and an end past the Timestamp range is clamped to its last millisecond. The one instant that leaves
 * out of the last day, 9999-12-31T23:59:59.999Z, holds no meal: eaten_time must be before 9999-01-01.
 */
export function daysWindow(from: CalendarDate, to: CalendarDate, timeZone: string): DayWindow {
  const end = startOfCivilDay(nextCivilDay(parseCalendarDate(to)!), timeZone);
  return { start: startOfDay(from, timeZone), end: new Date(Math.min(end, LAST_MILLISECOND_OF_TIMESTAMP_RANGE)) };
}

/** The window of the day `now` falls on in the zone. */
export function dayWindowAt(now: Date, timeZone: string): DayWindow {
  const date = localDateOf(now, timeZone);
  return daysWindow(date, date, timeZone);
}

/** Empty means UTC. */
export const timeZoneOrUtc = (timeZone: string) => (timeZone === "" ? "UTC" : timeZone);

/** The longest IANA name is 32 characters (America/Argentina/ComodRivadavia); anything far longer is not one. */
const MAX_TIME_ZONE_LENGTH = 64;

export function checkTimeZone(timeZone: string): FieldViolation[] {
  return timeZone.length <= MAX_TIME_ZONE_LENGTH && isTimeZone(timeZoneOrUtc(timeZone))
    ? []
    : [{ field: "time_zone", description: `${quoteInput(timeZone)} is not an IANA time zone such as Europe/Paris` }];
}
