/** A meal as the workload last heard of it. */
export interface KnownMeal {
  mealId: string;
  day: string;
  /** Its last acknowledged version; unknown after a write was refused or lost, so the next one goes without an etag. */
  current?: { version: number; etag: string };
}

/**
 * What the workload's clients have learned between them, only to choose
 * sensible requests (a meal to update, a customer who still needs a goal). It
 * may lag the services; the checks never read it.
 */
export class WorkloadKnowledge {
  private readonly customersWithGoal = new Set<string>();
  private readonly mealsByCustomer = new Map<string, Map<string, KnownMeal>>();

  hasGoal(customerId: string): boolean {
    return this.customersWithGoal.has(customerId);
  }

  noteGoal(customerId: string): void {
    this.customersWithGoal.add(customerId);
  }

  meals(customerId: string, day?: string): KnownMeal[] {
    const meals = [...(this.mealsByCustomer.get(customerId)?.values() ?? [])];
    return day === undefined ? meals : meals.filter((meal) => meal.day === day);
  }

  noteMeal(customerId: string, meal: KnownMeal): void {
    const meals = this.mealsByCustomer.get(customerId) ?? new Map<string, KnownMeal>();
    meals.set(meal.mealId, meal);
    this.mealsByCustomer.set(customerId, meals);
  }

  forgetMeal(customerId: string, mealId: string): void {
    this.mealsByCustomer.get(customerId)?.delete(mealId);
  }
}
