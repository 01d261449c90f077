import { DistinctNamePicker, rankOrder, type Candidate, type CandidateMeal } from "./Candidate.js";

/** Other customers' meals of one rating that fit, largest first, strictly after `after`, at most `limit`. */
export type OthersAtRating = (rating: number, after: Candidate | undefined, limit: number) => Promise<CandidateMeal[]>;

/**
 * The scan over other customers' meals of one rating reads a little more than
 * it needs at first (names repeat), then twice as much per step, up to a cap.
 */
export const firstBatchSize = (maxResults: number) => Math.max(4, maxResults * 2);
const MAX_BATCH_SIZE = 256;
export const MAX_RATING = 5;

/**
 * The best distinct-named meals: the customer's own meals (score: double the
 * rating, given best first) merged into the scan of others' meals (score: the
 * rating) where their score falls, fetching others' meals only as far as needed.
 */
export async function rankCandidates(
  own: CandidateMeal[],
  othersAtRating: OthersAtRating,
  maxResults: number,
): Promise<Candidate[]> {
  const picker = new DistinctNamePicker(maxResults);
  const ownCandidates = own.map((meal) => ({ ...meal, score: meal.rating * 2 }));
  let nextOwn = 0;
  const offerOwnWhile = (before: (candidate: Candidate) => boolean) => {
    while (nextOwn < ownCandidates.length && !picker.full && before(ownCandidates[nextOwn]))
      picker.offer(ownCandidates[nextOwn++]);
  };

  for (let rating = MAX_RATING; rating >= 1 && !picker.full; rating--) {
    offerOwnWhile((candidate) => candidate.score > rating);
    let last: Candidate | undefined;
    let batchSize = firstBatchSize(maxResults);
    let full: boolean;
    do {
      const batch = await othersAtRating(rating, last, batchSize);
      full = batch.length === batchSize;
      batchSize = Math.min(batchSize * 2, MAX_BATCH_SIZE);
      for (const meal of batch) {
        const candidate = { ...meal, score: rating };
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
