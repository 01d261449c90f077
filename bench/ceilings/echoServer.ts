import { Server, ServerCredentials, type handleUnaryCall } from "@grpc/grpc-js";
import { GoalKind, type GetGoalRequest, type GetGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";
import { ECHO_SERVICE } from "./echoService.js";

/**
 * The transport ceiling: a grpc-js server whose handler does no work beyond
 * answering with a goal-sized message, run as its own process like the
 * services. It reports its port to the bench over IPC and stops on SIGTERM.
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

// The same stream limit the services set, so both answer the same number of calls at once.
const server = new Server({ "grpc.max_concurrent_streams": 256 });
server.addService(ECHO_SERVICE, { echo });
server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.send!({ port });
});
process.on("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
