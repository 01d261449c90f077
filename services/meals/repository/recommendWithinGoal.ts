import type { Transaction } from "../../../shared/database/Transaction.js";
import type { Candidate } from "../domain/Candidate.js";
import type { DayWindow } from "../domain/calendar.js";
import type { GoalSnapshot } from "../goals/GoalsGateway.js";
import { lockPickedCandidates } from "./lockPickedCandidates.js";
import { shareMealLog } from "./mealLogLocks.js";
import { pickCandidates } from "./pickCandidates.js";
import { readEatenCalories } from "./readEatenCalories.js";

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
  await shareMealLog(transaction, input.customerId);
  const { consumedCalories } = await readEatenCalories(transaction, input.customerId, input.today);
  const picks = await pickCandidates(transaction, {
    customerId: input.customerId,
    remainingCalories: goal.dailyCalories - consumedCalories,
    ownEatenBefore: new Date(input.now.getTime() - OWN_MEAL_MIN_AGE_MS),
    maxResults: input.maxResults,
  });
  await lockPickedCandidates(transaction, picks);
  return { consumedCalories, picks };
}
