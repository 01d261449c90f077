import type { Transaction } from "../../../shared/database/Transaction.js";
import type { DayWindow } from "../domain/calendar.js";
import {
  firstBatchSize,
  MAX_RATING,
  rankCandidates,
  unchangedSince,
  type Candidate,
  type CandidateMeal,
} from "../domain/Candidate.js";
import { StaleReadError, type GoalBoundAnswer } from "../protocol/GoalVersionProtocol.js";
import { shareLogAndReadEaten, type EatenCalories } from "./mealLogLocks.js";
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
 * A recommendation as the version protocol runs it (GoalVersionProtocol), in
 * the caller's transaction. Before the goal: the customer's meal log, shared
 * (today's meals and the customer's own candidates cannot change until
 * commit), and today's total. Under the goal: the ranking scan, a plain read
 * of the snapshot, then the other customers' picked meals, shared by primary
 * key and checked at the version they were picked at. Nothing else is locked.
 */
export function recommendation(input: RecommendationInput): GoalBoundAnswer<EatenCalories, Recommendation> {
  return {
    hold: (transaction) => shareLogAndReadEaten(transaction, input.customerId, input.today),
    async compute(transaction, goal, held) {
      const picks = await pickCandidates(transaction, {
        customerId: input.customerId,
        remainingCalories: goal.dailyCalories - held.consumedCalories,
        ownEatenBefore: new Date(input.now.getTime() - OWN_MEAL_MIN_AGE_MS),
        maxResults: input.maxResults,
      });
      await lockOthersPicks(transaction, input.customerId, picks);
      return { consumedCalories: held.consumedCalories, picks };
    },
  };
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
 * (see rankCandidates). The scan's first batch, which every ranking reads,
 * travels with the own meals: one round trip where there were two.
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
 * Locks the picked meals of other customers so they stay as recommended until
 * commit, and checks that none moved from the version the snapshot read: if one
 * did, the pick is stale (it may not fit or rank any more) and the attempt
 * starts over. The customer's own picks are held by the shared meal log.
 */
async function lockOthersPicks(transaction: Transaction, customerId: string, picked: Candidate[]): Promise<void> {
  const others = picked.filter((candidate) => candidate.customerId !== customerId);
  if (others.length === 0) return;
  const [lockedRows] = await transaction.send(
    shareMeals(
      transaction.dialect,
      others.map((candidate) => candidate.mealId),
    ),
  );
  const locked = new Map(lockedRows.map((row) => [row.meal_id, toCandidateMeal(row)]));
  const changed = others.find((candidate) => !unchangedSince(candidate, locked.get(candidate.mealId)));
  if (changed) throw new StaleReadError(`meal ${changed.mealId} changed after it was picked`);
}
