import { readDatabaseName, readHostPort, type Environment } from "../../shared/config/environmentParsers.js";
import { COMMON_SETTINGS_HELP, readCommonSettings, type CommonSettings } from "../../shared/config/readCommonSettings.js";
import { readServingSettings, SERVING_HELP, type ServingSettings } from "../../shared/process/servingSettings.js";

export interface GoalsConfig extends CommonSettings, ServingSettings {
  database: string;
  listen: string;
}

export const GOALS_HELP = `Usage: npm run start:goals   (node dist/services/goals/main.js)

Serves mealplan.goals.v1.GoalsService over gRPC, with grpc.health.v1 and server
reflection. Creates and migrates its database on start. Stops gracefully on
SIGTERM or SIGINT.

Environment:
  GOALS_DB             database name (default mealplan_goals)
  GOALS_LISTEN         address to serve on (default 0.0.0.0:50051)
${COMMON_SETTINGS_HELP}
${SERVING_HELP}
`;

export function readGoalsConfig(env: Environment): GoalsConfig {
  return {
    ...readCommonSettings(env),
    ...readServingSettings(env),
    database: readDatabaseName(env, "GOALS_DB", "mealplan_goals"),
    listen: readHostPort(env, "GOALS_LISTEN", "0.0.0.0:50051"),
  };
}
