import { readDatabaseName, readHostPort, type Environment } from "../../shared/config/environmentParsers.js";
import { COMMON_SETTINGS_HELP, readCommonSettings, type CommonSettings } from "../../shared/config/readCommonSettings.js";

export interface MealsConfig extends CommonSettings {
  database: string;
  listen: string;
  goalsTarget: string;
}

export const MEALS_HELP = `Usage: npm run start:meals   (node dist/services/meals/main.js)

Serves mealplan.meals.v1.MealsService over gRPC, with grpc.health.v1 and server
reflection. Reads goals from the goals service over gRPC. Creates and migrates
its database on start. Stops gracefully on SIGTERM or SIGINT.

Environment:
  MEALS_DB             database name (default mealplan_meals)
  MEALS_LISTEN         address to serve on (default 0.0.0.0:50052)
  GOALS_TARGET         the goals service (default 127.0.0.1:50051)
${COMMON_SETTINGS_HELP}
`;

export function readMealsConfig(env: Environment): MealsConfig {
  return {
    ...readCommonSettings(env),
    database: readDatabaseName(env, "MEALS_DB", "mealplan_meals"),
    listen: readHostPort(env, "MEALS_LISTEN", "0.0.0.0:50052"),
    goalsTarget: readHostPort(env, "GOALS_TARGET", "127.0.0.1:50051"),
  };
}
