import type { Transaction } from "../../../shared/database/Transaction.js";
import type { DayWindow } from "../domain/calendar.js";
import {
  firstBatchSize,
  isSameMeal,
  MAX_RATING,
  rankCandidates,
  type Candidate,
  type CandidateMeal,
} from "../domain/Candidate.js";
import type { GoalSnapshot } from "../goals/GoalsGateway.js";
import { StaleReadError } from "../protocol/GoalVersionProtocol.js";
import { shareLogAndReadEaten } from "./mealLogLocks.js";
import { toCandidateMeal, type StoredMeal } from "./mealRows.js";
import { othersAtRating, ownCandidates, shareMeals, type ScanPosition } from "./mealStatements.js";

export interface RecommendationInput {
  customerId: string;
  today: DayWindow;
  now: Date;
  maxResults: number;
}

export interface Recommendation {
  consumedCalories: number;
  picks: Candidate[];
}

/** Own meals are recommended again only once they are this old. */
export const OWN_MEAL_MIN_AGE_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * One attempt at a recommendation under `goal`, inside the caller's
 * transaction. Locks: the customer's meal log (shared: today's meals cannot
 * change) and the picked meals (shared, by primary key). Nothing else: the
 * ranking scan is a plain read of the snapshot.
 */
export async function recommendWithinGoal(
  transaction: Transaction,
  goal: GoalSnapshot,
  input: RecommendationInput,
): Promise<Recommendation> {
  const { consumedCalories } = await shareLogAndReadEaten(transaction, input.customerId, input.today);
  const picks = await pickCandidates(transaction, {
    customerId: input.customerId,
    remainingCalories: goal.dailyCalories - consumedCalories,
    ownEatenBefore: new Date(input.now.getTime() - OWN_MEAL_MIN_AGE_MS),
    maxResults: input.maxResults,
  });
  await lockPickedCandidates(transaction, picks);
  return { consumedCalories, picks };
}

export interface CandidateQuery {
  customerId: string;
  /** Calories left today; a candidate must not exceed it. */
  remainingCalories: number;
  /** The customer's own meals count only if eaten before this instant. */
  ownEatenBefore: Date;
  maxResults: number;
}

const toCandidateMeals = (rows: StoredMeal[]): CandidateMeal[] => rows.map(toCandidateMeal);

/**
 * The best distinct-named meals that fit, read from the transaction's snapshot
 * (see rankCandidates). The scan's first batch, which every ranking reads
 * unless the customer's own meals fill the list first, travels with the own
 * meals: one round trip where there were two.
 */
export async function pickCandidates(transaction: Transaction, query: CandidateQuery): Promise<Candidate[]> {
  if (query.remainingCalories <= 0) return [];
  const others = (rating: number, after: ScanPosition | undefined, limit: number) =>
    othersAtRating(query.customerId, rating, query.remainingCalories, after, limit);
  const [own, firstBatch] = await transaction.send(
    ownCandidates(transaction.dialect, query.customerId, query.ownEatenBefore, query.remainingCalories),
    others(MAX_RATING, undefined, firstBatchSize(query.maxResults)),
  );
  let prefetched: StoredMeal[] | undefined = firstBatch;
  return rankCandidates(
    toCandidateMeals(own),
    async (rating, after, limit) => {
      if (prefetched && rating === MAX_RATING && after === undefined) {
        const rows = prefetched;
        prefetched = undefined;
        return toCandidateMeals(rows);
      }
      const [rows] = await transaction.send(others(rating, after, limit));
      return toCandidateMeals(rows);
    },
    query.maxResults,
  );
}

/**
 * Share-locks exactly the meals about to be recommended, by primary key, and
 * returns them as they are now. A locking read sees the latest committed row,
 * not the snapshot the candidates were picked from.
 */
export async function lockMeals(transaction: Transaction, mealIds: string[]): Promise<CandidateMeal[]> {
  if (mealIds.length === 0) return [];
  const [rows] = await transaction.send(shareMeals(transaction.dialect, mealIds));
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
