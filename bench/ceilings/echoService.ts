import type { ServiceDefinition } from "@grpc/grpc-js";
import { GetGoalRequest, GetGoalResponse } from "@mealplan/client/gen/mealplan/goals/v1/goals.js";

const getGoalMessages = (path: string) => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: (value: GetGoalRequest): Buffer => Buffer.from(GetGoalRequest.encode(value).finish()),
  requestDeserialize: (value: Buffer): GetGoalRequest => GetGoalRequest.decode(value),
  responseSerialize: (value: GetGoalResponse): Buffer => Buffer.from(GetGoalResponse.encode(value).finish()),
  responseDeserialize: (value: Buffer): GetGoalResponse => GetGoalResponse.decode(value),
});

/**
 * Unary methods defined by hand rather than in a .proto: the bench must not
 * add to the contract. They carry GetGoal's messages, so the client encodes and
 * decodes exactly what a GetGoal call does, and only the server's work differs:
 * Echo answers at once, ReadGoal reads the goal row with mysql2 first.
 */
export const ECHO_SERVICE = {
  echo: getGoalMessages("/bench.Echo/Echo"),
  readGoal: getGoalMessages("/bench.Echo/ReadGoal"),
} satisfies ServiceDefinition;
