import type { Database } from "../../../shared/database/Database.js";
import type { SqlSession } from "../../../shared/database/SqlSession.js";
import { runTransaction } from "../../../shared/database/runTransaction.js";
import type { GoalSnapshot, GoalsGateway } from "../goals/GoalsGateway.js";
import { goalKeptMoving } from "../mealErrors.js";
import { StaleReadError } from "./StaleReadError.js";

export const MAX_GOAL_ATTEMPTS = 5;

export interface UnderGoal<T> {
  goal: GoalSnapshot;
  result: T;
}

/**
 * The version-token protocol. Take a goal; in a REPEATABLE READ transaction
 * compute the answer while its row locks hold what it read; then, still
 * holding them, ask the goals service for the current goal. A version never
 * names two states, so the same version means the goal the answer used is the
 * goal in force at that instant, and every locked input held as well: the
 * answer was true then. Otherwise roll back and start over under the newer goal.
 *
 * Because only that last check decides, the goal to start from need not be
 * fetched: the one the gateway last saw for the customer serves, and saves a
 * call to the goals service whenever it is still current.
 */
export async function underCurrentGoal<T>(
  database: Database,
  goals: GoalsGateway,
  customerId: string,
  deadline: number,
  compute: (session: SqlSession, goal: GoalSnapshot) => Promise<T>,
): Promise<UnderGoal<T>> {
  let goal = goals.lastSeenGoal(customerId) ?? (await goals.currentGoal(customerId, deadline));
  for (let attempt = 1; attempt <= MAX_GOAL_ATTEMPTS; attempt++) {
    try {
      const result = await runTransaction(
        database,
        async (session) => {
          const answer = await compute(session, goal);
          const current = await goals.currentGoal(customerId, deadline);
          if (current.version !== goal.version) {
            throw new StaleReadError(`goal moved from version ${goal.version} to ${current.version}`, current);
          }
          return answer;
        },
        { deadline },
      );
      return { goal, result };
    } catch (error) {
      if (!(error instanceof StaleReadError)) throw error;
      goal = error.currentGoal ?? goal;
    }
  }
  throw goalKeptMoving(customerId, MAX_GOAL_ATTEMPTS);
}
