import type { CallRecord, History } from "./History.js";
import { addDays, startOfLocalDay } from "./zonedDays.js";

/**
 * How far the checker trusts the replicas' clocks to agree with its own: a day
 * that ended less than this before a call began, or ends less than this after
 * it completed, is not judged either way.
 */
export const CLOCK_MARGIN_MS = 1000;

/**
 * Where a day lies for a call, by wall clock: over before the call began
 * ("past": judged by the goal in force at its last instant), lasting beyond
 * its end ("lasting": judged by the current goal), or ending about when the
 * call ran ("ending": either may be right).
 */
export type DayTiming = "past" | "lasting" | "ending";

export function dayTiming(history: History, call: CallRecord, date: string, timeZone: string): DayTiming {
  const end = startOfLocalDay(addDays(date, 1), timeZone);
  if (end <= history.startedAtEpochMs + call.invokedAt - CLOCK_MARGIN_MS) return "past";
  if (end > history.startedAtEpochMs + call.completedAt + CLOCK_MARGIN_MS) return "lasting";
  return "ending";
}
