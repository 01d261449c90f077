import {
  readDatabaseName,
  readGrpcTarget,
  readHostPort,
  readPositiveInteger,
  type Environment,
} from "../../shared/config/environmentParsers.js";
import { COMMON_SETTINGS_HELP, readCommonSettings, type CommonSettings } from "../../shared/config/readCommonSettings.js";
import { readServingSettings, SERVING_HELP, type ServingSettings } from "../../shared/process/servingSettings.js";
import { GOALS_CLIENT_TLS_HELP, readGoalsClientTlsSettings, type ClientTlsSettings } from "../../shared/security/tlsSettings.js";

export interface MealsConfig extends CommonSettings, ServingSettings {
  database: string;
  listen: string;
  goalsTarget: string;
  goalsCallTimeoutMs: number;
  goalsCheckConnections: number;
  /** Undefined: goals is called in plaintext. */
  goalsTls: ClientTlsSettings | undefined;
}

export const MEALS_HELP = `Usage: npm run start:meals   (node dist/services/meals/main.js)

Serves mealplan.meals.v1.MealsService over gRPC, with grpc.health.v1 and server
reflection. Reads goals from the goals service over gRPC. Creates and migrates
its database on start. Stops gracefully on SIGTERM or SIGINT.

Environment:
  MEALS_DB             database name (default mealplan_meals)
  MEALS_LISTEN         address to serve on (default 0.0.0.0:50052)
  GOALS_TARGET         the goals service: host:port, or dns:///host:port to balance over
                       every address the name resolves to (default 127.0.0.1:50051)
  GOALS_CALL_TIMEOUT_MS the longest one call to goals may take, within the caller's
                       deadline; a goals service that hangs costs no call more (default 2000)
  GOALS_CHECK_CONNECTIONS pooled connections that may wait on goals at once (the goal
                       fetched inside a summary's or recommendation's transaction); the
                       rest serve calls that need no goal (default: half of DB_POOL_SIZE,
                       at least 1)
${GOALS_CLIENT_TLS_HELP}
${COMMON_SETTINGS_HELP}
${SERVING_HELP}
`;

export function readMealsConfig(env: Environment): MealsConfig {
  const common = readCommonSettings(env);
  return {
    ...common,
    ...readServingSettings(env),
    database: readDatabaseName(env, "MEALS_DB", "mealplan_meals"),
    listen: readHostPort(env, "MEALS_LISTEN", "0.0.0.0:50052"),
    goalsTarget: readGrpcTarget(env, "GOALS_TARGET", "127.0.0.1:50051"),
    goalsCallTimeoutMs: readPositiveInteger(env, "GOALS_CALL_TIMEOUT_MS", 2000),
    goalsCheckConnections: readPositiveInteger(env, "GOALS_CHECK_CONNECTIONS", Math.max(1, Math.floor(common.poolSize / 2))),
    goalsTls: readGoalsClientTlsSettings(env),
  };
}
