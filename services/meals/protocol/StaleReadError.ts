import type { GoalSnapshot } from "../goals/GoalsGateway.js";

/**
 * Something an answer depends on changed while it was being computed: the
 * goal moved to another version, or a chosen meal changed after it was read.
 * The attempt is rolled back and the answer computed again.
 */
export class StaleReadError extends Error {
  constructor(
    reason: string,
    /** The goal as now current, when it is the goal that moved. */
    readonly currentGoal?: GoalSnapshot,
  ) {
    super(reason);
    this.name = "StaleReadError";
  }
}
