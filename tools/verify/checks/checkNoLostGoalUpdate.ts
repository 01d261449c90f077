import type { CheckResult, Violation } from "../CheckResult.js";
import { concurrentWrites, GOAL_WRITES } from "../concurrentWrites.js";
import { acknowledgedWrites, goalWritesByCustomer, type AcknowledgedGoalWrite, type GoalWrite } from "../goalWritesByCustomer.js";
import type { FinalGoalRecord, GoalRevisionRecord, History } from "../History.js";

const actionOf = (write: GoalWrite) => (write.call.method === "CreateGoal" ? "CREATE" : "UPDATE");

/** Revisions must run newest first, one version apart, down to version 1. */
function gapsIn(customerId: string, revisions: GoalRevisionRecord[]): Violation[] {
  const gaps = revisions.slice(1).flatMap((revision, index) => {
    const newer = revisions[index];
    if (revision.version === newer.version - 1) return [];
    const explanation = `the revision history goes from version ${newer.version} to ${revision.version}: versions must fall by one`;
    return [{ customerId, explanation, calls: [] }];
  });
  const oldest = revisions.at(-1);
  if (!oldest || oldest.version === 1) return gaps;
  return [...gaps, { customerId, explanation: `the oldest revision is version ${oldest.version}, not 1`, calls: [] }];
}

/** What is wrong with one acknowledged write: not recorded as written, or not built on the version it named. */
function acknowledgementProblems(write: AcknowledgedGoalWrite, revisionByVersion: Map<number, GoalRevisionRecord>): string[] {
  const { call } = write;
  const { version, dailyCalories } = write.acknowledged;
  const problems: string[] = [];
  if (dailyCalories !== call.request.dailyCalories) {
    problems.push(`asked for daily_calories ${call.request.dailyCalories}, acknowledged ${dailyCalories}`);
  }
  const expected = call.method === "UpdateGoal" ? call.request.expectedVersion : undefined;
  if (expected !== undefined && version !== expected + 1) {
    problems.push(`a write conditional on version ${expected} produced version ${version}, not ${expected + 1}`);
  }
  const revision = revisionByVersion.get(version);
  if (!revision || revision.action !== actionOf(write) || revision.dailyCalories !== dailyCalories) {
    const found = revision ? `${revision.action} with daily_calories ${revision.dailyCalories}` : "nothing";
    const written = `${actionOf(write)}, daily_calories ${dailyCalories}`;
    problems.push(`acknowledged version ${version} (${written}), but the revision history has ${found} there`);
  }
  return problems;
}

/** Each acknowledged write is its own revision: two acknowledgements of one version mean one write was lost. */
function mismatchedAcknowledgements(
  customerId: string,
  acknowledged: AcknowledgedGoalWrite[],
  revisions: GoalRevisionRecord[],
): Violation[] {
  const revisionByVersion = new Map(revisions.map((revision) => [revision.version, revision]));
  const firstByVersion = new Map<number, AcknowledgedGoalWrite>();
  return acknowledged.flatMap((write) => {
    const { version } = write.acknowledged;
    const twin = firstByVersion.get(version);
    if (!twin) firstByVersion.set(version, write);
    const explanation = `two acknowledged writes both produced version ${version}: one of them was lost`;
    const lost = twin ? [{ customerId, explanation, calls: [write.call, twin.call] }] : [];
    const wrong = acknowledgementProblems(write, revisionByVersion).map((explanation) => ({
      customerId,
      explanation,
      calls: [write.call],
    }));
    return [...lost, ...wrong];
  });
}

/**
 * A revision no acknowledged write produced must come from a write whose
 * outcome is unknown (same action and value); anything left over is a write
 * the service refused or never received, yet applied.
 */
function unexplainedRevisions(
  customerId: string,
  writes: GoalWrite[],
  revisions: GoalRevisionRecord[],
  seededVersions: number,
): Violation[] {
  const acknowledgedVersions = new Set(acknowledgedWrites(writes).map((write) => write.acknowledged.version));
  const unknown = writes.filter((write) => write.acknowledged === undefined);
  return [...revisions].reverse().flatMap((revision) => {
    if (revision.version <= seededVersions || acknowledgedVersions.has(revision.version)) return [];
    const explanation = unknown.findIndex(
      (write) => actionOf(write) === revision.action && write.call.request.dailyCalories === revision.dailyCalories,
    );
    if (explanation >= 0) {
      unknown.splice(explanation, 1);
      return [];
    }
    const written = `${revision.action}, daily_calories ${revision.dailyCalories}`;
    return [
      {
        customerId,
        explanation: `revision ${revision.version} (${written}) was written by no call that may have succeeded`,
        calls: [],
      },
    ];
  });
}

/** After the workload the goal is its newest revision (absent if that was a delete). */
function finalGoalMismatch(customerId: string, { goal, revisions }: FinalGoalRecord): Violation[] {
  const newest = revisions[0];
  const expected = newest && newest.action !== "DELETE" ? newest : undefined;
  if (goal?.version === expected?.version && goal?.dailyCalories === expected?.dailyCalories) return [];
  const describe = (state: { version: number; dailyCalories: number } | undefined) =>
    state ? `version ${state.version} with daily_calories ${state.dailyCalories}` : "no goal";
  const explanation = `the final goal is ${describe(goal ?? undefined)}, but the newest revision says ${describe(expected)}`;
  return [{ customerId, explanation, calls: [] }];
}

/**
 * Check 3: no lost update. Every acknowledged goal write appears in the
 * goal's revision history exactly once and as written, versions run without
 * gaps, no revision appears that no call may have made (save those the run
 * wrote before its workload), and the final goal is the newest revision.
 */
export function checkNoLostGoalUpdate(history: History): CheckResult {
  const writesByCustomer = goalWritesByCustomer(history);
  const ranConcurrently = concurrentWrites(history.calls, GOAL_WRITES);
  let examined = 0;
  let concurrent = 0;
  const violations = history.customers.flatMap((customerId) => {
    const writes = writesByCustomer.get(customerId) ?? [];
    const acknowledged = acknowledgedWrites(writes);
    examined += acknowledged.length;
    concurrent += acknowledged.filter((write) => ranConcurrently(write.call)).length;
    const finalGoal = history.finalGoals[customerId] ?? { revisions: [], goal: null };
    return [
      ...gapsIn(customerId, finalGoal.revisions),
      ...mismatchedAcknowledgements(customerId, acknowledged, finalGoal.revisions),
      ...unexplainedRevisions(customerId, writes, finalGoal.revisions, history.seededVersions[customerId] ?? 0),
      ...finalGoalMismatch(customerId, finalGoal),
    ];
  });
  return {
    title: "Lost goal update: acknowledged writes differ from the revisions",
    seedCases: [3],
    examined,
    concurrent,
    undecided: 0,
    violations,
  };
}
