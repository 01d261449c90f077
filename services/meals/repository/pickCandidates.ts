import type { Transaction } from "../../../shared/database/Transaction.js";
import type { Candidate, CandidateMeal } from "../domain/Candidate.js";
import { rankCandidates } from "../domain/rankCandidates.js";
import { CANDIDATE_COLUMNS, toCandidateMeal, type StoredMeal } from "./mealRows.js";

export interface CandidateQuery {
  customerId: string;
  /** Calories left today; a candidate must not exceed it. */
  remainingCalories: number;
  /** The customer's own meals count only if eaten before this instant. */
  ownEatenBefore: Date;
  maxResults: number;
}

/** Own meals are few; this bounds the read for a customer with an unusually long history. */
const OWN_CANDIDATE_LIMIT = 500;

async function ownCandidates(transaction: Transaction, query: CandidateQuery): Promise<CandidateMeal[]> {
  const rows = await transaction.query<StoredMeal[]>(
    `SELECT ${CANDIDATE_COLUMNS} FROM meals
      WHERE customer_id = ? AND eaten_time < ? AND calories <= ?
      ORDER BY rating DESC, calories DESC, meal_id DESC LIMIT ?`,
    [query.customerId, query.ownEatenBefore, query.remainingCalories, OWN_CANDIDATE_LIMIT],
  );
  return rows.map(toCandidateMeal);
}

/**
 * Other customers' meals of one rating that fit, largest first, after a
 * position: a backward range scan of meals_rating_calories that stops after
 * one batch, however large the catalog. The index is forced because, left
 * alone, MariaDB picks a ref lookup on rating alone, which starts at the
 * rating's largest meal and reads back through every meal too large to fit
 * (82,000 rows instead of 6 at a million meals).
 */
async function othersAtRating(
  transaction: Transaction,
  query: CandidateQuery,
  rating: number,
  after: Candidate | undefined,
  batchSize: number,
): Promise<CandidateMeal[]> {
  const position = after ? "AND (calories < ? OR (calories = ? AND meal_id < ?))" : "";
  const rows = await transaction.query<StoredMeal[]>(
    `SELECT ${CANDIDATE_COLUMNS} FROM meals FORCE INDEX (meals_rating_calories)
      WHERE rating = ? AND calories <= ? AND customer_id <> ? ${position}
      ORDER BY calories DESC, meal_id DESC LIMIT ?`,
    [
      rating,
      query.remainingCalories,
      query.customerId,
      ...(after ? [after.calories, after.calories, after.mealId] : []),
      batchSize,
    ],
  );
  return rows.map(toCandidateMeal);
}

/** The best distinct-named meals that fit, read from the transaction's snapshot (see rankCandidates). */
export async function pickCandidates(transaction: Transaction, query: CandidateQuery): Promise<Candidate[]> {
  if (query.remainingCalories <= 0) return [];
  const own = await ownCandidates(transaction, query);
  return rankCandidates(
    own,
    (rating, after, limit) => othersAtRating(transaction, query, rating, after, limit),
    query.maxResults,
  );
}
