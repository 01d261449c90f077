import type { Transaction } from "../../../shared/database/Transaction.js";
import { shareLockClause } from "../../../shared/database/shareLockClause.js";
import { isSameMeal, type Candidate, type CandidateMeal } from "../domain/Candidate.js";
import { StaleReadError } from "../protocol/StaleReadError.js";
import { CANDIDATE_COLUMNS, toCandidateMeal, type StoredMeal } from "./mealRows.js";

/**
 * Share-locks exactly the meals about to be recommended, by primary key, and
 * returns them as they are now. A locking read sees the latest committed row,
 * not the snapshot the candidates were picked from.
 */
export async function lockMeals(transaction: Transaction, mealIds: string[]): Promise<CandidateMeal[]> {
  if (mealIds.length === 0) return [];
  const rows = await transaction.query<StoredMeal[]>(
    `SELECT ${CANDIDATE_COLUMNS} FROM meals WHERE meal_id IN (?) ${shareLockClause(transaction)}`,
    [mealIds],
  );
  return rows.map(toCandidateMeal);
}

/**
 * Locks the picked meals so they stay as recommended until commit, and checks
 * that none changed between the snapshot read and the lock: if one did, the
 * pick is stale (it may not fit or rank any more) and the attempt starts over.
 */
export async function lockPickedCandidates(transaction: Transaction, picked: Candidate[]): Promise<void> {
  const locked = new Map(
    (
      await lockMeals(
        transaction,
        picked.map((candidate) => candidate.mealId),
      )
    ).map((row) => [row.mealId, row]),
  );
  const changed = picked.find((candidate) => !isSameMeal(candidate, locked.get(candidate.mealId)));
  if (changed) throw new StaleReadError(`meal ${changed.mealId} changed after it was picked`);
}
