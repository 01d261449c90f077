/** What ranking and recommending need of a logged meal. */
export interface CandidateMeal {
  mealId: string;
  customerId: string;
  name: string;
  calories: number;
  rating: number;
  cuisine: string;
  eatenTime: Date;
  /**
   * The meal's version, where the read had it: other customers' meals, which a
   * recommendation locks only after picking them. Own meals come from an index
   * without it; the customer's shared meal log holds them instead.
   */
  version?: string;
}

/** A logged meal that fits what is left of the goal, with the score it ranks by. */
export interface Candidate extends CandidateMeal {
  score: number;
}

/**
 * Whether a meal locked after it was picked is still at the version it was
 * picked at: had it changed, it may no longer fit or rank. Versions only go up,
 * so it also did not change in between and back.
 */
export function unchangedSince(picked: CandidateMeal, now: CandidateMeal | undefined): boolean {
  return now !== undefined && picked.version !== undefined && now.version === picked.version;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Best first: higher score, then the larger meal (it uses more of what is left), then the newer meal. */
export function rankOrder(a: Candidate, b: Candidate): number {
  return b.score - a.score || b.calories - a.calories || compareIds(b.mealId, a.mealId);
}

/** Takes candidates in rank order and keeps the first of each name, up to a limit. */
export class DistinctNamePicker {
  readonly picks: Candidate[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.picks.length >= this.limit;
  }

  offer(candidate: Candidate): void {
    // "Pad Thai" and "pad thai " are the same dish to the person reading the list.
    const key = candidate.name.trim().toLocaleLowerCase("en-US");
    if (this.full || this.names.has(key)) return;
    this.names.add(key);
    this.picks.push(candidate);
  }
}

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
