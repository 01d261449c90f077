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
 * The version-token protocol. Fetch the goal; in a REPEATABLE READ transaction
 * compute the answer while its row locks hold what it read; then, still
 * holding them, ask the goals service again. Versions only grow, so an
 * unchanged version means the goal held from the first fetch to the second,
 * and at the second every locked input held as well: the answer was true at
 * that instant. Otherwise roll back and start over under the newer goal.
 */
export async function underCurrentGoal<T>(
  database: Database,
  goals: GoalsGateway,
  customerId: string,
  deadline: number,
  compute: (session: SqlSession, goal: GoalSnapshot) => Promise<T>,
): Promise<UnderGoal<T>> {
  let goal = await goals.currentGoal(customerId, deadline);
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
