import type { DayWindow } from "./calendar.js";

/** The goal a day is judged by: how much, and which version said so. */
export interface DayGoal {
  dailyCalories: number;
  version: string;
}

/**
 * One revision of a customer's goal as the goals service recorded it: from
 * revisionTime on, it is the goal in force (none, for a delete) until a higher
 * version is written.
 */
export interface GoalRevision {
  /** BIGINT as a decimal string. */
  version: string;
  revisionTime: Date;
  dailyCalories: number;
  deleted: boolean;
}

/** From `from` (epoch ms) until the next stretch starts, `goal` was in force (none when undefined). */
interface Stretch {
  from: number;
  goal: DayGoal | undefined;
}

function compareVersions(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

/**
 * Which goal was in force when, as far as the revisions given reach back: the
 * goals service returns the revision in force at the start of a window and
 * every later one, so instants before that start are not this timeline's to
 * answer.
 */
export class GoalTimeline {
  private constructor(private readonly stretches: readonly Stretch[]) {}

  /** Revisions in any order (ListGoalRevisions pages them newest first). */
  static of(revisions: readonly GoalRevision[]): GoalTimeline {
    const byTime = [...revisions].sort(
      (a, b) => a.revisionTime.getTime() - b.revisionTime.getTime() || compareVersions(a.version, b.version),
    );
    const stretches: Stretch[] = [];
    let latest: GoalRevision | undefined;
    for (const revision of byTime) {
      // Two goals replicas stamp revisions with their own clocks: a version
      // stamped earlier than the one before it was overwritten before it was
      // ever read, and never comes back into force.
      if (latest && compareVersions(revision.version, latest.version) <= 0) continue;
      latest = revision;
      const from = revision.revisionTime.getTime();
      // Of versions written in the same millisecond, only the last was ever in force.
      if (stretches.at(-1)?.from === from) stretches.pop();
      stretches.push({
        from,
        goal: revision.deleted ? undefined : { dailyCalories: revision.dailyCalories, version: revision.version },
      });
    }
    return new GoalTimeline(stretches);
  }

  /** The goal in force at `instant`: the highest version written at or before it; none if that deleted the goal. */
  at(instant: Date): DayGoal | undefined {
    const time = instant.getTime();
    let low = 0;
    let high = this.stretches.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.stretches[middle].from <= time) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? undefined : this.stretches[low - 1].goal;
  }

  /** The goal in force now: the highest version of all; none if it deleted the goal. */
  get current(): DayGoal | undefined {
    return this.stretches.at(-1)?.goal;
  }

  /** Whether some goal was in force at some instant of the window. */
  anyInForceDuring(window: DayWindow): boolean {
    return this.stretches.some(
      (stretch, index) =>
        stretch.goal !== undefined &&
        stretch.from < window.end.getTime() &&
        (index === this.stretches.length - 1 || this.stretches[index + 1].from > window.start.getTime()),
    );
  }
}

/**
 * The goal a day is judged by. Once the day is over: the goal in force at its
 * last instant (the millisecond before the next day starts, the precision of
 * revision times), so a past day keeps the goal its "today" ended with. While
 * it lasts, or before it starts: the current goal, as the version-token
 * protocol reads it for today.
 */
export function goalOfDay(timeline: GoalTimeline, day: DayWindow, now: Date): DayGoal | undefined {
  return day.end.getTime() > now.getTime() ? timeline.current : timeline.at(new Date(day.end.getTime() - 1));
}
