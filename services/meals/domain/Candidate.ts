/** What ranking and recommending need of a logged meal. */
export interface CandidateMeal {
  mealId: string;
  customerId: string;
  name: string;
  calories: number;
  rating: number;
  cuisine: string;
  eatenTime: Date;
}

/** A logged meal that fits what is left of the goal, with the score it ranks by. */
export interface Candidate extends CandidateMeal {
  score: number;
}

/** Whether a meal read again is still the one that was picked: anything else may no longer fit or rank. */
export function isSameMeal(picked: CandidateMeal, now: CandidateMeal | undefined): boolean {
  return (
    now !== undefined &&
    now.customerId === picked.customerId &&
    now.name === picked.name &&
    now.calories === picked.calories &&
    now.rating === picked.rating &&
    now.cuisine === picked.cuisine &&
    now.eatenTime.getTime() === picked.eatenTime.getTime()
  );
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
