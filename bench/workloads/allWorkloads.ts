import type { Workload } from "../Workload.js";
import { catalogSweepWorkload } from "./catalogSweep.js";
import { createMealWorkload } from "./createMeal.js";
import { getCalorieStatsWorkload } from "./getCalorieStats.js";
import { getDailySummaryWorkload } from "./getDailySummary.js";
import { getGoalWorkload } from "./getGoal.js";
import { hotGoalWorkload } from "./hotGoal.js";
import { mixWorkload } from "./mix.js";
import { recommendMealsWorkload } from "./recommendMeals.js";
import { updateGoalWorkload } from "./updateGoal.js";

/** In run order: the catalog sweep only ever grows the catalog, so it comes last. */
export const WORKLOADS: Workload[] = [
  getGoalWorkload,
  updateGoalWorkload,
  hotGoalWorkload,
  createMealWorkload,
  getDailySummaryWorkload,
  getCalorieStatsWorkload,
  recommendMealsWorkload,
  mixWorkload,
  catalogSweepWorkload,
];
