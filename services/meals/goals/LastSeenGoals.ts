import type { GoalSnapshot } from "./GoalsGateway.js";

/** Customers whose goal is remembered; about 100 bytes each. */
export const LAST_SEEN_GOALS_LIMIT = 10_000;

/**
 * The goal each recently served customer had when the goals service last
 * answered for them, the least recently used forgotten first. Only a first
 * guess: the version protocol (underCurrentGoal) checks every answer against
 * the goals service before it returns, so a guess that is out of date costs a
 * recomputation, never a wrong answer.
 */
export class LastSeenGoals {
  private readonly goals = new Map<string, GoalSnapshot>();

  constructor(private readonly limit = LAST_SEEN_GOALS_LIMIT) {}

  get(customerId: string): GoalSnapshot | undefined {
    const goal = this.goals.get(customerId);
    if (goal) {
      this.goals.delete(customerId);
      this.goals.set(customerId, goal);
    }
    return goal;
  }

  remember(customerId: string, goal: GoalSnapshot): void {
    this.goals.delete(customerId);
    this.goals.set(customerId, goal);
    if (this.goals.size > this.limit) this.goals.delete(this.goals.keys().next().value!);
  }

  forget(customerId: string): void {
    this.goals.delete(customerId);
  }

  get size(): number {
    return this.goals.size;
  }
}
