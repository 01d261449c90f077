import { status } from "@grpc/grpc-js";
import { Goal, GoalKind } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { Meal } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import type { Replica, ReplicaClients } from "./connectReplicas.js";
import type { HistoryRecorder } from "./HistoryRecorder.js";
import type { Method, Methods, Outcome } from "./History.js";
import { toCalorieStats, toDailySummary, toGoalState, toMealRecommendations, toMealState } from "./responseProjections.js";
import type { SeededRandom } from "./SeededRandom.js";
import { SEEDED_DAYS } from "./seedPastGoals.js";
import { utcDayBefore } from "./utcDay.js";
import type { KnownMeal, WorkloadKnowledge } from "./WorkloadKnowledge.js";

export interface WorkloadContext {
  replicas: ReplicaClients;
  recorder: HistoryRecorder;
  knowledge: WorkloadKnowledge;
  customers: string[];
  /** The first hotCustomers of `customers` get half of all calls. */
  hotCustomers: number;
  callDeadlineMs: number;
}

/** Goals in a range where a day's few meals sometimes fit and sometimes do not. */
const GOAL_CALORIES = { min: 1200, max: 3000 };
const GOAL_STEP = { min: 50, max: 400 };
const MEAL_CALORIES = { min: 50, max: 1500 };
/** Meals are eaten today or up to this many days before; own meals older than two days become recommendations. */
const DAYS_BACK = 3;
/**
 * Keeps each customer's day short, so that what is left of today's goal often
 * fits a recommendation and the checker's search over uncertain meals stays small.
 */
const MEALS_PER_DAY = 4;
const MAX_RECOMMENDATIONS = 5;
/**
 * Zones whose days start at other instants than UTC's: whole hours ahead and
 * behind (with DST), and quarter hours (Kathmandu, +05:45; Chatham, +12:45/+13:45).
 */
const STATS_TIME_ZONES = ["UTC", "Asia/Tokyo", "America/Los_Angeles", "Asia/Kathmandu", "Pacific/Chatham"];
const DAY_MS = 24 * 60 * 60 * 1000;

/** Few names, so the service's one-meal-per-name rule matters. */
const MENU = [
  ["Oatmeal", "American"],
  ["Greek salad", "Greek"],
  ["Pad thai", "Thai"],
  ["Burrito", "Mexican"],
  ["Ramen", "Japanese"],
  ["Margherita", "Italian"],
  ["Dal", "Indian"],
  ["Poke bowl", "Hawaiian"],
  ["Falafel wrap", "Lebanese"],
  ["Apple", ""],
] as const;

type Action =
  | "createGoal"
  | "updateGoalWithEtag"
  | "updateGoalBlindly"
  | "createMeal"
  | "updateMeal"
  | "deleteMeal"
  | "getDailySummary"
  | "getCalorieStats"
  | "recommendMeals";

/** Half reads, half writes; goal writes frequent enough to race the reads of hot customers. */
const ACTION_WEIGHTS: (readonly [Action, number])[] = [
  ["createGoal", 1],
  ["updateGoalWithEtag", 8],
  ["updateGoalBlindly", 6],
  ["createMeal", 18],
  ["updateMeal", 12],
  ["deleteMeal", 7],
  ["getDailySummary", 24],
  ["getCalorieStats", 8],
  ["recommendMeals", 24],
];

/** One simulated client: makes one call at a time, each to a replica chosen at random. */
export class WorkloadClient {
  constructor(
    private readonly index: number,
    private readonly random: SeededRandom,
    private readonly context: WorkloadContext,
  ) {}

  async step(): Promise<void> {
    const customerId = this.pickCustomer();
    const action =
      !this.context.knowledge.hasGoal(customerId) && this.random.chance(0.5)
        ? "createGoal"
        : this.random.weighted(ACTION_WEIGHTS);
    await this[action](customerId);
  }

  private pickCustomer(): string {
    const { customers, hotCustomers } = this.context;
    const hot = customers.slice(0, hotCustomers);
    const cold = customers.slice(hotCustomers);
    return this.random.pick(hot.length > 0 && (cold.length === 0 || this.random.chance(0.5)) ? hot : cold);
  }

  private async createGoal(customerId: string): Promise<void> {
    const dailyCalories = this.random.integer(GOAL_CALORIES.min, GOAL_CALORIES.max);
    const kind = this.random.pick([GoalKind.GOAL_KIND_DIET, GoalKind.GOAL_KIND_WORKOUT]);
    const replica = this.random.pick(this.context.replicas.goals);
    const outcome = await this.call("CreateGoal", customerId, replica, { dailyCalories }, async (deadline) => {
      const request = { customerId, goal: Goal.create({ dailyCalories, kind }), requestId: "" };
      return toGoalState((await replica.client.createGoal(request, { deadline })).goal);
    });
    if (outcome.status === "ok" || outcome.code === status.ALREADY_EXISTS) this.context.knowledge.noteGoal(customerId);
  }

  /** Read, modify, write back conditionally: the pattern that loses updates without the etag (seed case 3). */
  private async updateGoalWithEtag(customerId: string): Promise<void> {
    let etag = "";
    const replica = this.random.pick(this.context.replicas.goals);
    const read = await this.call("GetGoal", customerId, replica, {}, async (deadline) => {
      const { goal } = await replica.client.getGoal({ customerId }, { deadline });
      etag = goal?.etag ?? "";
      return toGoalState(goal);
    });
    if (read.status !== "ok") return;
    this.context.knowledge.noteGoal(customerId);
    const step = this.random.integer(GOAL_STEP.min, GOAL_STEP.max) * (this.random.chance(0.5) ? 1 : -1);
    const dailyCalories = Math.min(GOAL_CALORIES.max, Math.max(GOAL_CALORIES.min, read.response.dailyCalories + step));
    await this.writeGoal(customerId, dailyCalories, { etag, version: read.response.version });
  }

  private async updateGoalBlindly(customerId: string): Promise<void> {
    await this.writeGoal(customerId, this.random.integer(GOAL_CALORIES.min, GOAL_CALORIES.max));
  }

  private async writeGoal(
    customerId: string,
    dailyCalories: number,
    expected?: { etag: string; version: number },
  ): Promise<void> {
    const replica = this.random.pick(this.context.replicas.goals);
    await this.call(
      "UpdateGoal",
      customerId,
      replica,
      { dailyCalories, expectedVersion: expected?.version },
      async (deadline) => {
        const request = {
          goal: Goal.create({ customerId, dailyCalories, etag: expected?.etag ?? "" }),
          updateMask: ["daily_calories"],
        };
        return toGoalState((await replica.client.updateGoal(request, { deadline })).goal);
      },
    );
  }

  private async createMeal(customerId: string): Promise<void> {
    const daysBack = this.random.chance(0.5) ? 0 : this.random.integer(1, DAYS_BACK);
    const now = Date.now();
    const day = utcDayBefore(now, daysBack);
    const mealsThatDay = this.context.knowledge.meals(customerId, day);
    if (mealsThatDay.length >= MEALS_PER_DAY) return this.deleteMeal(customerId, this.random.pick(mealsThatDay));

    const dayStart = Date.parse(`${day}T00:00:00.000Z`);
    // Today's meals are eaten before now: a meal in the future is no meal of today's.
    const eatenTime = new Date(dayStart + Math.floor(this.random.fraction() * Math.min(DAY_MS, now - dayStart)));
    const calories = this.mealCalories();
    const [name, cuisine] = this.random.pick(MENU);
    const rating = this.random.integer(1, 5);
    const replica = this.random.pick(this.context.replicas.meals);
    let etag = "";
    const outcome = await this.call(
      "CreateMeal",
      customerId,
      replica,
      { calories, eatenTime: eatenTime.toISOString() },
      async (deadline) => {
        const request = { customerId, meal: Meal.create({ name, calories, rating, cuisine, eatenTime }), requestId: "" };
        const { meal } = await replica.client.createMeal(request, { deadline });
        etag = meal?.etag ?? "";
        return toMealState(meal);
      },
    );
    if (outcome.status === "ok") {
      const { mealId, version } = outcome.response;
      this.context.knowledge.noteMeal(customerId, { mealId, day, current: { version, etag } });
    }
  }

  /** A changing meal under a recommendation is the seed's case 2. */
  private async updateMeal(customerId: string): Promise<void> {
    const meals = this.context.knowledge.meals(customerId);
    if (meals.length === 0) return this.createMeal(customerId);
    const meal = this.random.pick(meals);
    const calories = this.mealCalories();
    const expected = this.random.chance(0.5) ? meal.current : undefined;
    const replica = this.random.pick(this.context.replicas.meals);
    let etag = "";
    const request = { mealId: meal.mealId, calories, expectedVersion: expected?.version };
    const outcome = await this.call("UpdateMeal", customerId, replica, request, async (deadline) => {
      const update = {
        meal: Meal.create({ customerId, mealId: meal.mealId, calories, etag: expected?.etag ?? "" }),
        updateMask: ["calories"],
      };
      const { meal: updated } = await replica.client.updateMeal(update, { deadline });
      etag = updated?.etag ?? "";
      return toMealState(updated);
    });
    const { knowledge } = this.context;
    if (outcome.status === "ok")
      knowledge.noteMeal(customerId, { ...meal, current: { version: outcome.response.version, etag } });
    else this.learnFromRefusedMealWrite(customerId, meal, outcome.code);
  }

  private async deleteMeal(customerId: string, chosen?: KnownMeal): Promise<void> {
    const meals = this.context.knowledge.meals(customerId);
    if (!chosen && meals.length === 0) return this.createMeal(customerId);
    const meal = chosen ?? this.random.pick(meals);
    const expected = this.random.chance(0.3) ? meal.current : undefined;
    const replica = this.random.pick(this.context.replicas.meals);
    const request = { mealId: meal.mealId, expectedVersion: expected?.version };
    const outcome = await this.call("DeleteMeal", customerId, replica, request, async (deadline) => {
      const deletion = { customerId, mealId: meal.mealId, etag: expected?.etag ?? "" };
      await replica.client.deleteMeal(deletion, { deadline });
      return {};
    });
    if (outcome.status === "ok") this.context.knowledge.forgetMeal(customerId, meal.mealId);
    else this.learnFromRefusedMealWrite(customerId, meal, outcome.code);
  }

  private learnFromRefusedMealWrite(customerId: string, meal: KnownMeal, code: status): void {
    const { knowledge } = this.context;
    if (code === status.NOT_FOUND) knowledge.forgetMeal(customerId, meal.mealId);
    // Stale, conflicting or lost: which version is current is no longer known.
    else knowledge.noteMeal(customerId, { ...meal, current: undefined });
  }

  private async getDailySummary(customerId: string): Promise<void> {
    const day = utcDayBefore(Date.now(), this.random.integer(0, DAYS_BACK));
    const replica = this.random.pick(this.context.replicas.meals);
    await this.call("GetDailySummary", customerId, replica, { day }, async (deadline) => {
      const request = { customerId, date: day, timeZone: "UTC" };
      return toDailySummary(await replica.client.getDailySummary(request, { deadline }));
    });
  }

  /** Periods that reach into the seeded past and end today, in zones whose days differ from UTC's. */
  private async getCalorieStats(customerId: string): Promise<void> {
    const overDays = this.random.integer(1, SEEDED_DAYS + 1);
    const timeZone = this.random.pick(STATS_TIME_ZONES);
    const replica = this.random.pick(this.context.replicas.meals);
    await this.call("GetCalorieStats", customerId, replica, { overDays, timeZone }, async (deadline) => {
      const request = { customerId, overDays, timeZone };
      return toCalorieStats(await replica.client.getCalorieStats(request, { deadline }));
    });
  }

  private async recommendMeals(customerId: string): Promise<void> {
    const replica = this.random.pick(this.context.replicas.meals);
    await this.call("RecommendMeals", customerId, replica, { maxResults: MAX_RECOMMENDATIONS }, async (deadline) => {
      const request = { customerId, maxResults: MAX_RECOMMENDATIONS, timeZone: "UTC" };
      return toMealRecommendations(await replica.client.recommendMeals(request, { deadline }));
    });
  }

  /** Mostly small meals, a few large: days fill up slowly and recommendations still fit. */
  private mealCalories(): number {
    return MEAL_CALORIES.min + Math.floor(this.random.fraction() ** 2 * (MEAL_CALORIES.max - MEAL_CALORIES.min));
  }

  private call<M extends Method>(
    method: M,
    customerId: string,
    replica: Replica<unknown>,
    request: Methods[M]["request"],
    perform: (deadline: number) => Promise<Methods[M]["response"]>,
  ): Promise<Outcome<Methods[M]["response"]>> {
    const site = { method, customerId, client: this.index, replica: replica.address };
    return this.context.recorder.record(site, request, () => perform(Date.now() + this.context.callDeadlineMs));
  }
}
