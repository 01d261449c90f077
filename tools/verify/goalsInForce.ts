import type { GoalRevisionRecord, History } from "./History.js";

/**
 * A customer's goal over time by the revisions the run read at its end: at
 * an instant, the highest version written at or before it is in force (none,
 * if that version deleted the goal). Kept in revision-time order with a
 * running maximum, so each question is one binary search.
 */
export class GoalsInForce {
  private readonly times: number[];
  /** highestUpTo[i]: the highest version among the first i + 1 revisions by time. */
  private readonly highestUpTo: GoalRevisionRecord[];

  constructor(revisions: readonly GoalRevisionRecord[]) {
    const byTime = [...revisions].sort((a, b) => a.revisionTime - b.revisionTime || a.version - b.version);
    this.times = byTime.map((revision) => revision.revisionTime);
    this.highestUpTo = [];
    byTime.forEach((revision, index) => {
      const previous = this.highestUpTo[index - 1];
      this.highestUpTo.push(previous && previous.version > revision.version ? previous : revision);
    });
  }

  static ofHistory(history: History): (customerId: string) => GoalsInForce {
    const byCustomer = new Map(
      Object.entries(history.finalGoals).map(([customerId, { revisions }]) => [customerId, new GoalsInForce(revisions)]),
    );
    const none = new GoalsInForce([]);
    return (customerId) => byCustomer.get(customerId) ?? none;
  }

  /** The revision in force at `instant` (epoch ms); undefined when no goal was (not created yet, or deleted). */
  at(instant: number): GoalRevisionRecord | undefined {
    const revision = this.highestUpTo[this.countUpTo(instant) - 1];
    return revision && revision.action !== "DELETE" ? revision : undefined;
  }

  /** Whether some goal was in force at some instant of [start, end] (epoch ms). */
  anyDuring(start: number, end: number): boolean {
    if (this.at(start)) return true;
    for (let index = this.countUpTo(start); index < this.times.length && this.times[index] <= end; index++) {
      if (this.highestUpTo[index].action !== "DELETE") return true;
    }
    return false;
  }

  /** How many revisions were written at or before `instant`. */
  private countUpTo(instant: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle] <= instant) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
