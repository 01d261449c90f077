import type { EntityManager } from "typeorm";
import { DistinctNamePicker, rankOrder, type Candidate } from "../domain/Candidate.js";
import { CANDIDATE_COLUMNS, toCandidateRow, type CandidateRow } from "./mealRows.js";

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
/**
 * The scan over other customers' meals of one rating reads a little more than
 * it needs at first (names repeat), then twice as much per step, up to a cap.
 */
const firstBatchSize = (maxResults: number) => Math.max(4, maxResults * 2);
const MAX_BATCH_SIZE = 256;
const MAX_RATING = 5;

const toCandidate = (row: CandidateRow, score: number): Candidate => ({ ...row, score });

async function ownCandidates(manager: EntityManager, query: CandidateQuery): Promise<CandidateRow[]> {
  const rows = await manager.query(
    `SELECT ${CANDIDATE_COLUMNS} FROM meals
      WHERE customer_id = ? AND eaten_time < ? AND calories <= ?
      ORDER BY rating DESC, calories DESC, meal_id DESC LIMIT ?`,
    [query.customerId, query.ownEatenBefore, query.remainingCalories, OWN_CANDIDATE_LIMIT],
  );
  return rows.map(toCandidateRow);
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
  manager: EntityManager,
  query: CandidateQuery,
  rating: number,
  after: Candidate | undefined,
  batchSize: number,
): Promise<CandidateRow[]> {
  const position = after ? "AND (calories < ? OR (calories = ? AND meal_id < ?))" : "";
  const rows = await manager.query(
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
  return rows.map(toCandidateRow);
}

/**
 * The best distinct-named meals that fit, read from the transaction's
 * snapshot. Own meals score double, so they are merged into the scan of
 * others' meals where their score falls.
 */
export async function pickCandidates(manager: EntityManager, query: CandidateQuery): Promise<Candidate[]> {
  const picker = new DistinctNamePicker(query.maxResults);
  if (query.remainingCalories <= 0) return picker.picks;
  const own = (await ownCandidates(manager, query)).map((row) => toCandidate(row, row.rating * 2));
  let nextOwn = 0;
  const offerOwnWhile = (before: (candidate: Candidate) => boolean) => {
    while (nextOwn < own.length && !picker.full && before(own[nextOwn])) picker.offer(own[nextOwn++]);
  };

  for (let rating = MAX_RATING; rating >= 1 && !picker.full; rating--) {
    offerOwnWhile((candidate) => candidate.score > rating);
    let last: Candidate | undefined;
    let batch: CandidateRow[];
    let batchSize = firstBatchSize(query.maxResults);
    let full: boolean;
    do {
      batch = await othersAtRating(manager, query, rating, last, batchSize);
      full = batch.length === batchSize;
      batchSize = Math.min(batchSize * 2, MAX_BATCH_SIZE);
      for (const row of batch) {
        const candidate = toCandidate(row, rating);
        offerOwnWhile((ownCandidate) => rankOrder(ownCandidate, candidate) < 0);
        picker.offer(candidate);
        last = candidate;
        if (picker.full) break;
      }
    } while (full && !picker.full);
    offerOwnWhile((candidate) => candidate.score >= rating);
  }
  return picker.picks;
}
