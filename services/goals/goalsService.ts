import type { Database } from "../../shared/database/Database.js";
import { serveUnary, type ServeOptions } from "../../shared/grpc/serveUnary.js";
import type { GrpcServiceRegistration } from "../../shared/grpc/startGrpcServer.js";
import type { Logger } from "../../shared/logging/Logger.js";
import { GoalsServiceService, type GoalsServiceServer } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { GOALS_ERROR_DOMAIN } from "./goalErrors.js";
import { createGoal } from "./handlers/createGoal.js";
import { deleteGoal } from "./handlers/deleteGoal.js";
import { getGoal } from "./handlers/getGoal.js";
import { listGoalRevisions } from "./handlers/listGoalRevisions.js";
import { updateGoal } from "./handlers/updateGoal.js";
import { GoalRepository } from "./repository/GoalRepository.js";

export const GOALS_SERVICE_NAME = "mealplan.goals.v1.GoalsService";

export function goalsService(database: Database, logger: Logger, defaultDeadlineMs: number): GrpcServiceRegistration {
  const goals = new GoalRepository(database);
  const options: ServeOptions = { errorDomain: GOALS_ERROR_DOMAIN, logger, defaultDeadlineMs };
  const method = (name: string) => `/${GOALS_SERVICE_NAME}/${name}`;
  const implementation: GoalsServiceServer = {
    createGoal: serveUnary(method("CreateGoal"), createGoal(goals), options),
    getGoal: serveUnary(method("GetGoal"), getGoal(goals), options),
    updateGoal: serveUnary(method("UpdateGoal"), updateGoal(goals), options),
    deleteGoal: serveUnary(method("DeleteGoal"), deleteGoal(goals), options),
    listGoalRevisions: serveUnary(method("ListGoalRevisions"), listGoalRevisions(goals), options),
  };
  return { name: GOALS_SERVICE_NAME, definition: GoalsServiceService, implementation };
}
