import type { Database } from "../../shared/database/Database.js";
import { unaryHandler, type UnaryHandlerOptions } from "../../shared/grpc/unaryHandler.js";
import type { GrpcServiceRegistration } from "../../shared/grpc/startGrpcServer.js";
import type { Logger } from "../../shared/logging/Logger.js";
import { GoalsServiceService, type GoalsServiceServer } from "../../gen/mealplan/goals/v1/goals.js";
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
  const options: UnaryHandlerOptions = { errorDomain: GOALS_ERROR_DOMAIN, logger, defaultDeadlineMs };
  const method = (name: string) => `/${GOALS_SERVICE_NAME}/${name}`;
  const implementation: GoalsServiceServer = {
    createGoal: unaryHandler(method("CreateGoal"), createGoal(goals), options),
    getGoal: unaryHandler(method("GetGoal"), getGoal(goals), options),
    updateGoal: unaryHandler(method("UpdateGoal"), updateGoal(goals), options),
    deleteGoal: unaryHandler(method("DeleteGoal"), deleteGoal(goals), options),
    listGoalRevisions: unaryHandler(method("ListGoalRevisions"), listGoalRevisions(goals), options),
  };
  return { name: GOALS_SERVICE_NAME, definition: GoalsServiceService, implementation };
}
