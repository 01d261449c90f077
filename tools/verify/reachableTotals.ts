import type { Contribution } from "./possibleMealContributions.js";

/** A day's meal count and calorie sum. */
export interface DayTotal {
  meals: number;
  calories: number;
}

/** Fits any count of meals a day in a run can have; keys stay below 2^53. */
const MEALS_RADIX = 4096;
const keyOf = (meals: number, calories: number) => calories * MEALS_RADIX + meals;
const totalOf = (key: number): DayTotal => ({ meals: key % MEALS_RADIX, calories: Math.floor(key / MEALS_RADIX) });

/**
 * Every total that picking one contribution per meal can add up to, or
 * undefined when there would be more than `limit` of them: the search is
 * exponential in the meals whose state is uncertain, so it is bounded.
 */
export function reachableTotals(choicesPerMeal: Contribution[][], limit = 100_000): DayTotal[] | undefined {
  if (choicesPerMeal.length >= MEALS_RADIX) return undefined;
  let keys = new Set([keyOf(0, 0)]);
  for (const choices of choicesPerMeal) {
    const next = new Set<number>();
    for (const key of keys) {
      for (const { meals, calories } of choices) next.add(key + keyOf(meals, calories));
    }
    if (next.size > limit) return undefined;
    keys = next;
  }
  return [...keys].map(totalOf);
}
