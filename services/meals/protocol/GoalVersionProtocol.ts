import { Bulkhead } from "../../../shared/call/Bulkhead.js";
import type { CallScope } from "../../../shared/call/CallScope.js";
import type { Database } from "../../../shared/database/Database.js";
import { runTransaction, type Transaction } from "../../../shared/database/Transaction.js";
import type { GoalSnapshot, GoalsGateway } from "../goals/GoalsGateway.js";
import { goalKeptMoving } from "../mealErrors.js";

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
 *
 * The check holds a pooled connection while it waits for goals. A bulkhead
 * lets at most `maxConcurrentChecks` transactions do that at once
 * (GOALS_CHECK_CONNECTIONS, half the pool by default), so a goals service that hangs cannot take the connections
 * that calls needing no goal (CreateMeal, GetMeal, ListMeals, ...) run on.
 */
export class GoalVersionProtocol {
  private readonly checkedTransactions: Bulkhead;
  /** Told each time an answer is computed again because the goal or a picked meal moved. */
  onRestart: () => void = () => {};

  constructor(
    private readonly database: Database,
    private readonly goals: GoalsGateway,
    maxConcurrentChecks: number,
  ) {
    this.checkedTransactions = new Bulkhead(maxConcurrentChecks);
  }

  async underCurrentGoal<T>(
    customerId: string,
    call: CallScope,
    compute: (transaction: Transaction, goal: GoalSnapshot) => Promise<T>,
  ): Promise<UnderGoal<T>> {
    let goal = this.goals.lastSeenGoal(customerId) ?? (await this.goals.currentGoal(customerId, call));
    for (let attempt = 1; attempt <= MAX_GOAL_ATTEMPTS; attempt++) {
      try {
        const result = await this.checkedTransactions.run(call, () =>
          runTransaction(
            this.database,
            async (transaction) => {
              const answer = await compute(transaction, goal);
              const current = await this.goals.currentGoal(customerId, call);
              if (current.version !== goal.version) {
                throw new StaleReadError(`goal moved from version ${goal.version} to ${current.version}`, current);
              }
              return answer;
            },
            call,
          ),
        );
        return { goal, result };
      } catch (error) {
        if (!(error instanceof StaleReadError)) throw error;
        this.onRestart();
        goal = error.currentGoal ?? goal;
      }
    }
    throw goalKeptMoving(customerId, MAX_GOAL_ATTEMPTS);
  }
}

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
