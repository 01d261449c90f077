import type { Transaction } from "../../../shared/database/Transaction.js";
import type { Candidate, CandidateMeal } from "../domain/Candidate.js";
import { firstBatchSize, MAX_RATING, rankCandidates } from "../domain/rankCandidates.js";
import { toCandidateMeal, type StoredMeal } from "./mealRows.js";
import { othersAtRating, ownCandidates, type ScanPosition } from "./mealStatements.js";

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
