import type { CheckResult, Violation } from "../CheckResult.js";
import { concurrentWrites, GOAL_WRITES } from "../concurrentWrites.js";
import { goalObservations, NO_GOAL, type GoalObservation } from "../goalObservations.js";
import { acknowledgedWrites, goalWritesByCustomer, type AcknowledgedGoalWrite } from "../goalWritesByCustomer.js";
import { revisionFinder, type History, type RevisionFinder } from "../History.js";

/** How many leading `values` (ascending) pass `isLeading`, which holds for a prefix of them. */
function partitionPoint(values: number[], isLeading: (value: number) => boolean): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isLeading(values[middle])) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A customer's acknowledged goal writes, arranged so each observation finds
 * its bounds in logarithmic time: a long run has hundreds of thousands of them.
 */
class VersionBounds {
  private readonly completions: number[];
  /** newestByCompletion[i]: the newest of the first i + 1 writes to complete. */
  private readonly newestByCompletion: AcknowledgedGoalWrite[];
  private readonly invocations: number[];
  /** oldestByInvocation[i]: the oldest of the writes invoked at position i or later. */
  private readonly oldestByInvocation: AcknowledgedGoalWrite[];

  constructor(writes: AcknowledgedGoalWrite[]) {
    const version = (write: AcknowledgedGoalWrite) => write.acknowledged.version;
    const byCompletion = [...writes].sort((a, b) => a.call.completedAt - b.call.completedAt);
    this.completions = byCompletion.map((write) => write.call.completedAt);
    this.newestByCompletion = [];
    byCompletion.forEach((write, index) => {
      const previous = this.newestByCompletion[index - 1];
      this.newestByCompletion.push(previous && version(previous) > version(write) ? previous : write);
    });
    const byInvocation = [...writes].sort((a, b) => a.call.invokedAt - b.call.invokedAt);
    this.invocations = byInvocation.map((write) => write.call.invokedAt);
    this.oldestByInvocation = new Array<AcknowledgedGoalWrite>(byInvocation.length);
    for (let index = byInvocation.length - 1; index >= 0; index--) {
      const next = this.oldestByInvocation[index + 1];
      const write = byInvocation[index];
      this.oldestByInvocation[index] = next && version(next) < version(write) ? next : write;
    }
  }

  /** The newest write acknowledged before `time`: a call begun then must see it or something newer. */
  newestSettledBefore(time: number): AcknowledgedGoalWrite | undefined {
    return this.newestByCompletion[partitionPoint(this.completions, (completedAt) => completedAt < time) - 1];
  }

  /** The oldest write invoked after `time`: a call ended by then cannot have seen it or anything after it. */
  oldestStartedAfter(time: number): AcknowledgedGoalWrite | undefined {
    return this.oldestByInvocation[partitionPoint(this.invocations, (invokedAt) => invokedAt <= time)];
  }
}

const versionName = (version: number) => (version === NO_GOAL ? "no goal" : `goal version ${version}`);

function judge({ call, version }: GoalObservation, bounds: VersionBounds, findRevision: RevisionFinder): Violation | undefined {
  const seen = versionName(version);
  const settled = bounds.newestSettledBefore(call.invokedAt);
  if (settled && version < settled.acknowledged.version) {
    return {
      customerId: call.customerId,
      explanation: `saw ${seen}, but version ${settled.acknowledged.version} was acknowledged before the call began (stale read)`,
      calls: [call, settled.call],
    };
  }
  const later = bounds.oldestStartedAfter(call.completedAt);
  if (later && version >= later.acknowledged.version) {
    return {
      customerId: call.customerId,
      explanation: `saw ${seen}, but version ${later.acknowledged.version} was written by a call that began after this one ended`,
      calls: [call, later.call],
    };
  }
  if (version === NO_GOAL) return undefined;
  const revision = findRevision(call.customerId, version);
  if (revision && revision.action !== "DELETE") return undefined;
  return {
    customerId: call.customerId,
    explanation: `saw ${seen}, which the goal's revision history does not have`,
    calls: [call],
  };
}

/**
 * Check 2: the goal version a call reports was current at some instant while
 * it ran: not older than a write acknowledged before it began, not as new as a
 * write that began after it ended, and one the goal really had. Writes whose
 * outcome is unknown bound nothing: they may or may not have happened.
 */
export function checkGoalVersionCurrent(history: History): CheckResult {
  const boundsByCustomer = new Map(
    [...goalWritesByCustomer(history)].map(([customerId, writes]) => [customerId, new VersionBounds(acknowledgedWrites(writes))]),
  );
  const noWrites = new VersionBounds([]);
  const findRevision = revisionFinder(history);
  const observations = goalObservations(history);
  const violations = observations.flatMap((observation) => {
    const violation = judge(observation, boundsByCustomer.get(observation.call.customerId) ?? noWrites, findRevision);
    return violation ? [violation] : [];
  });
  return {
    title: "Goal version not current during the call (stale or future read)",
    seedCases: [1],
    examined: observations.length,
    concurrent: observations.map(({ call }) => call).filter(concurrentWrites(history.calls, GOAL_WRITES)).length,
    undecided: 0,
    violations,
  };
}
