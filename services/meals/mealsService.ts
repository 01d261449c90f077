import type { Database } from "../../shared/database/Database.js";
import { unaryHandler, type UnaryHandlerOptions } from "../../shared/grpc/unaryHandler.js";
import type { GrpcServiceRegistration } from "../../shared/grpc/startGrpcServer.js";
import type { Logger } from "../../shared/logging/Logger.js";
import { MealsServiceService, type MealsServiceServer } from "../../gen/mealplan/meals/v1/meals.js";
import type { GoalsGateway } from "./goals/GoalsGateway.js";
import { createMeal } from "./handlers/createMeal.js";
import { deleteMeal } from "./handlers/deleteMeal.js";
import { getCalorieStats } from "./handlers/getCalorieStats.js";
import { getDailySummary } from "./handlers/getDailySummary.js";
import { getMeal } from "./handlers/getMeal.js";
import { listMeals } from "./handlers/listMeals.js";
import { recommendMeals } from "./handlers/recommendMeals.js";
import { updateMeal } from "./handlers/updateMeal.js";
import { MEALS_ERROR_DOMAIN } from "./mealErrors.js";
import { MealRepository } from "./repository/MealRepository.js";

export const MEALS_SERVICE_NAME = "mealplan.meals.v1.MealsService";

export function mealsService(
  database: Database,
  goals: GoalsGateway,
  logger: Logger,
  defaultDeadlineMs: number,
): GrpcServiceRegistration {
  const meals = new MealRepository(database);
  const options: UnaryHandlerOptions = { errorDomain: MEALS_ERROR_DOMAIN, logger, defaultDeadlineMs };
  const method = (name: string) => `/${MEALS_SERVICE_NAME}/${name}`;
  const implementation: MealsServiceServer = {
    createMeal: unaryHandler(method("CreateMeal"), createMeal(meals), options),
    getMeal: unaryHandler(method("GetMeal"), getMeal(meals), options),
    updateMeal: unaryHandler(method("UpdateMeal"), updateMeal(meals), options),
    deleteMeal: unaryHandler(method("DeleteMeal"), deleteMeal(meals), options),
    listMeals: unaryHandler(method("ListMeals"), listMeals(meals), options),
    getDailySummary: unaryHandler(method("GetDailySummary"), getDailySummary(database, goals), options),
    getCalorieStats: unaryHandler(method("GetCalorieStats"), getCalorieStats(meals), options),
    recommendMeals: unaryHandler(method("RecommendMeals"), recommendMeals(database, goals), options),
  };
  return { name: MEALS_SERVICE_NAME, definition: MealsServiceService, implementation };
}
