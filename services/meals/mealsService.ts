import type { Database } from "../../shared/database/Database.js";
import { serveUnary, type ServeOptions } from "../../shared/grpc/serveUnary.js";
import type { GrpcServiceRegistration } from "../../shared/grpc/startGrpcServer.js";
import type { Logger } from "../../shared/logging/Logger.js";
import { MealsServiceService, type MealsServiceServer } from "@mealplan/client/gen/mealplan/meals/v1/meals.js";
import { createMeal } from "./handlers/createMeal.js";
import { deleteMeal } from "./handlers/deleteMeal.js";
import { getCalorieStats } from "./handlers/getCalorieStats.js";
import { getDailySummary } from "./handlers/getDailySummary.js";
import { getMeal } from "./handlers/getMeal.js";
import { listMeals } from "./handlers/listMeals.js";
import { recommendMeals } from "./handlers/recommendMeals.js";
import { updateMeal } from "./handlers/updateMeal.js";
import type { GoalsGateway } from "./goals/GoalsGateway.js";
import { MEALS_ERROR_DOMAIN } from "./mealErrors.js";
import type { GoalVersionProtocol } from "./protocol/GoalVersionProtocol.js";
import { MealRepository } from "./repository/MealRepository.js";

export const MEALS_SERVICE_NAME = "mealplan.meals.v1.MealsService";

export function mealsService(
  database: Database,
  protocol: GoalVersionProtocol,
  goals: GoalsGateway,
  logger: Logger,
  defaultDeadlineMs: number,
): GrpcServiceRegistration {
  const meals = new MealRepository(database);
  const options: ServeOptions = { errorDomain: MEALS_ERROR_DOMAIN, logger, defaultDeadlineMs };
  const method = (name: string) => `/${MEALS_SERVICE_NAME}/${name}`;
  const implementation: MealsServiceServer = {
    createMeal: serveUnary(method("CreateMeal"), createMeal(meals), options),
    getMeal: serveUnary(method("GetMeal"), getMeal(meals), options),
    updateMeal: serveUnary(method("UpdateMeal"), updateMeal(meals), options),
    deleteMeal: serveUnary(method("DeleteMeal"), deleteMeal(meals), options),
    listMeals: serveUnary(method("ListMeals"), listMeals(meals), options),
    getDailySummary: serveUnary(method("GetDailySummary"), getDailySummary({ protocol, goals, meals }), options),
    getCalorieStats: serveUnary(method("GetCalorieStats"), getCalorieStats(meals, goals), options),
    recommendMeals: serveUnary(method("RecommendMeals"), recommendMeals(protocol), options),
  };
  return { name: MEALS_SERVICE_NAME, definition: MealsServiceService, implementation };
}
