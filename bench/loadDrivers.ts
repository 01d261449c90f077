import { echoDriver, floorGetGoalDriver } from "./ceilings/echoDriver.js";
import { rawSqlGetGoal, rawSqlHotGoal, rawSqlUpdateGoal, repositoryUpdateGoal } from "./ceilings/rawSqlGoals.js";
import { rawSqlCreateMeal, rawSqlGetDailySummary, rawSqlRecommendMeals } from "./ceilings/rawSqlMeals.js";
import type { LoadDriverFactory } from "./LoadDriver.js";
import { createMealDriver } from "./workloads/createMeal.js";
import { getCalorieStatsDriver, getCalorieStatsManyRevisionsDriver } from "./workloads/getCalorieStats.js";
import { getDailySummaryDriver } from "./workloads/getDailySummary.js";
import { getGoalDriver } from "./workloads/getGoal.js";
import { hotGoalDriver, restartAfterBackoff, restartAtOnce } from "./workloads/hotGoal.js";
import { recommendMealsDriver } from "./workloads/recommendMeals.js";
import { updateGoalDriver } from "./workloads/updateGoal.js";

/** Every driver a load client can run, by the name a LoadSpec gives. */
export const LOAD_DRIVERS: Record<string, LoadDriverFactory> = {
  Echo: echoDriver,
  GetGoal: getGoalDriver,
  UpdateGoal: updateGoalDriver,
  HotGoal: hotGoalDriver(restartAtOnce),
  HotGoalBackoff: hotGoalDriver(restartAfterBackoff),
  CreateMeal: createMealDriver,
  GetDailySummary: getDailySummaryDriver,
  GetCalorieStats: getCalorieStatsDriver,
  GetCalorieStatsManyRevisions: getCalorieStatsManyRevisionsDriver,
  RecommendMeals: recommendMealsDriver,
  "sql:GetGoal": rawSqlGetGoal,
  "floor:GetGoal": floorGetGoalDriver,
  "sql:UpdateGoal": rawSqlUpdateGoal,
  "repository:UpdateGoal": repositoryUpdateGoal,
  "sql:HotGoal": rawSqlHotGoal(restartAtOnce),
  "sql:HotGoalBackoff": rawSqlHotGoal(restartAfterBackoff),
  "sql:CreateMeal": rawSqlCreateMeal,
  "sql:GetDailySummary": rawSqlGetDailySummary,
  "sql:RecommendMeals": rawSqlRecommendMeals,
};
