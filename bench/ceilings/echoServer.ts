import { Server, ServerCredentials, status, type handleUnaryCall } from "@grpc/grpc-js";
import { GoalKind, type GetGoalRequest, type GetGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { createPool, type Pool, type QueryValues, type RowDataPacket } from "mysql2";
import { toGoalMessage } from "../../services/goals/handlers/goalMessages.js";
import { toGoalRow, type StoredGoal } from "../../services/goals/repository/goalRows.js";
import { selectGoal } from "../../services/goals/repository/goalStatements.js";
import { readMysqlUrl } from "../../shared/config/environmentParsers.js";
import { ROW_FORMAT } from "../../shared/database/NodeRouter.js";
import { ECHO_SERVICE } from "./echoService.js";

/**
 * The transport ceiling: a grpc-js server whose Echo does no work beyond
 * answering with a goal-sized message, run as its own process like the
 * services. Its ReadGoal is the floor of a GetGoal in this stack: grpc-js and
 * one mysql2 query of the goals service's statement (BENCH_GOALS_DB), the row
 * made into the message the service sends, and nothing else (no validation,
 * call scope, interceptor or log line). It reports its port to the bench over
 * IPC and stops on SIGTERM.
 */
const created = new Date();
const echo: handleUnaryCall<GetGoalRequest, GetGoalResponse> = (call, callback) =>
  callback(null, {
    goal: {
      customerId: call.request.customerId,
      dailyCalories: 2000,
      kind: GoalKind.GOAL_KIND_DIET,
      description: "bench",
      version: "1",
      etag: "v1",
      createTime: created,
      updateTime: created,
    },
  });

let pool: Pool | undefined;
const goalsPool = () =>
  (pool ??= createPool({
    ...readMysqlUrl(process.env),
    database: process.env.BENCH_GOALS_DB,
    connectionLimit: Number(process.env.DB_POOL_SIZE ?? 10),
    ...ROW_FORMAT,
  }));

const readGoal: handleUnaryCall<GetGoalRequest, GetGoalResponse> = (call, callback) => {
  const { sql, values } = selectGoal(call.request.customerId);
  goalsPool().query<RowDataPacket[]>(sql, [...values] as QueryValues, (error, rows) => {
    if (error) callback({ code: status.UNAVAILABLE, details: error.message });
    else if (rows.length === 0) callback({ code: status.NOT_FOUND, details: "no goal" });
    else callback(null, { goal: toGoalMessage(toGoalRow(rows[0] as StoredGoal)) });
  });
};

// The same stream limit the services set, so both answer the same number of calls at once.
const server = new Server({ "grpc.max_concurrent_streams": 256 });
server.addService(ECHO_SERVICE, { echo, readGoal });
server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.send!({ port });
});
process.on("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
