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

/** An answer under the version-token protocol, in two steps around the goals call. */
export interface GoalBoundAnswer<Held, T> {
  /**
   * Locks what the answer reads of the customer (the shared meal log) and reads
   * it; its first plain read also fixes the transaction's snapshot.
   */
  hold(transaction: Transaction): Promise<Held>;
  /**
   * The answer under `goal` from what `hold` holds and the snapshot. Rows it
   * locks only now must be as the snapshot had them (StaleReadError if not).
   */
  compute(transaction: Transaction, goal: GoalSnapshot, held: Held): Promise<T>;
}

/**
 * The version-token protocol. In a REPEATABLE READ transaction, first lock
 * what the answer reads of the customer, then ask the goals service for the
 * current goal, then compute the answer under it. Every input held at the
 * instant goals answered: the customer's meals are locked from before it until
 * commit; the goal is the one in force then (a version never names two states,
 * so the version reported names it); and anything else the answer uses was
 * read in the snapshot, taken before that instant, and is locked afterwards and
 * found at the same version, so it did not change in between. The answer was
 * true at that instant. When a late-locked row moved, the attempt rolls back
 * and starts over.
 *
 * On a Galera node the locks do not stop a write through another node, and a
 * read inside a transaction does not wait for the node to catch up
 * (wsrep_sync_wait acts on the transaction's first statement only): what the
 * snapshot holds may have changed before goals answered. There the goal is
 * asked for once more, before the snapshot is taken: the same version before
 * and after means it was current all the while, so at the snapshot's instant
 * (a causal read, inside the call) the goal, the customer's meals and the
 * picked meals were all as the answer says. A different version starts over.
 *
 * On one server, one goals call per answer, whoever the customer is: an earlier design
 * computed under the goal last seen for the customer and asked goals again
 * before COMMIT, which cost a second call whenever the customer was not
 * remembered (most of them, once customers outnumber the memory).
 *
 * The call holds a pooled connection while it waits for goals. A bulkhead lets
 * at most `maxConcurrentChecks` transactions do that at once
 * (GOALS_CHECK_CONNECTIONS, half the pool by default), so a goals service that
 * hangs cannot take the connections that calls needing no goal (CreateMeal,
 * GetMeal, ListMeals, ...) run on.
 */
export class GoalVersionProtocol {
  private readonly checkedTransactions: Bulkhead;
  /** Told each time an answer is computed again: a picked meal moved before its lock, or on Galera the goal around the snapshot. */
  onRestart: () => void = () => {};

  constructor(
    private readonly database: Database,
    private readonly goals: GoalsGateway,
    maxConcurrentChecks: number,
  ) {
    this.checkedTransactions = new Bulkhead(maxConcurrentChecks);
  }

  async underCurrentGoal<Held, T>(customerId: string, call: CallScope, answer: GoalBoundAnswer<Held, T>): Promise<UnderGoal<T>> {
    for (let attempt = 1; attempt <= MAX_GOAL_ATTEMPTS; attempt++) {
      try {
        return await this.checkedTransactions.run(call, () =>
          runTransaction(
            this.database,
            async (transaction) => {
              const before = transaction.galera ? await this.goals.currentGoal(customerId, call) : undefined;
              const held = await answer.hold(transaction);
              const goal = await this.goals.currentGoal(customerId, call);
              if (before && before.version !== goal.version)
                throw new StaleReadError(`goal moved from version ${before.version} to ${goal.version}`);
              return { goal, result: await answer.compute(transaction, goal, held) };
            },
            call,
          ),
        );
      } catch (error) {
        if (!(error instanceof StaleReadError)) throw error;
        this.onRestart();
      }
    }
    throw goalKeptMoving(customerId, MAX_GOAL_ATTEMPTS);
  }
}

/**
 * Something the answer read changed before it could be held: a picked meal
 * before its lock, or on Galera the goal around the snapshot. The attempt is
 * rolled back and the answer computed again.
 */
export class StaleReadError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "StaleReadError";
  }
}
