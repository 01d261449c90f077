import { status } from "@grpc/grpc-js";
import { MealplanError, RevisionAction, type GoalsClient } from "@mealplan/client";
import type { Replica } from "./connectReplicas.js";
import type { FinalGoalRecord, GoalRevisionRecord, GoalState, RevisionAction as RevisionActionName } from "./History.js";
import { toGoalState } from "./responseProjections.js";

const PAGE_SIZE = 200;
const ATTEMPTS = 5;
const RETRY_DELAY_MS = 500;
const RETRYABLE = new Set<number>([status.ABORTED, status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

const ACTION_NAMES: Partial<Record<RevisionAction, RevisionActionName>> = {
  [RevisionAction.REVISION_ACTION_CREATE]: "CREATE",
  [RevisionAction.REVISION_ACTION_UPDATE]: "UPDATE",
  [RevisionAction.REVISION_ACTION_DELETE]: "DELETE",
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isNotFound = (error: unknown) => error instanceof MealplanError && error.code === status.NOT_FOUND;

async function readGoal(replica: Replica<GoalsClient>, customerId: string, deadlineMs: number): Promise<GoalState | null> {
  try {
    const { goal } = await replica.client.getGoal({ customerId }, { deadline: Date.now() + deadlineMs });
    return toGoalState(goal);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function readRevisions(
  replica: Replica<GoalsClient>,
  customerId: string,
  deadlineMs: number,
): Promise<GoalRevisionRecord[]> {
  const revisions: GoalRevisionRecord[] = [];
  let pageToken = "";
  do {
    const request = { customerId, pageSize: PAGE_SIZE, pageToken };
    const page = await replica.client
      .listGoalRevisions(request, { deadline: Date.now() + deadlineMs })
      .catch((error: unknown) => {
        // A customer who never got a goal has no revisions to list.
        if (isNotFound(error) && pageToken === "") return undefined;
        throw error;
      });
    if (!page) return [];
    for (const { goal, action, revisionTime } of page.revisions) {
      const actionName = ACTION_NAMES[action];
      if (!actionName || !revisionTime)
        throw new Error(`revision of ${customerId} has action ${action} at ${String(revisionTime)}`);
      revisions.push({ ...toGoalState(goal), action: actionName, revisionTime: revisionTime.getTime() });
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return revisions;
}

/**
 * One customer's goal and revision history once the workload stopped. A write
 * that timed out may still land while they are read, so the goal is read
 * before and after the revisions and the read repeated until both agree.
 */
async function readSettledGoal(replica: Replica<GoalsClient>, customerId: string, deadlineMs: number): Promise<FinalGoalRecord> {
  for (let attempt = 1; ; attempt++) {
    try {
      const before = await readGoal(replica, customerId, deadlineMs);
      const revisions = await readRevisions(replica, customerId, deadlineMs);
      const after = await readGoal(replica, customerId, deadlineMs);
      if (before?.version === after?.version || attempt === ATTEMPTS) return { revisions, goal: after };
    } catch (error) {
      if (!(error instanceof MealplanError) || !RETRYABLE.has(error.code) || attempt === ATTEMPTS) {
        const cause = error instanceof MealplanError ? `${error.codeName}: ${error.message}` : String(error);
        throw new Error(`could not read the final goal of ${customerId} from ${replica.address}: ${cause}`);
      }
    }
    await sleep(RETRY_DELAY_MS);
  }
}

/** Every customer's final goal and full revision history, read through one goals replica. */
export async function collectFinalGoals(
  replica: Replica<GoalsClient>,
  customers: string[],
  deadlineMs: number,
): Promise<Record<string, FinalGoalRecord>> {
  const finalGoals: Record<string, FinalGoalRecord> = {};
  for (const customerId of customers) finalGoals[customerId] = await readSettledGoal(replica, customerId, deadlineMs);
  return finalGoals;
}
