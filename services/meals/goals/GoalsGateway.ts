import { credentials, status, type ServiceError as GrpcServiceError } from "@grpc/grpc-js";
import { callUnary } from "../../../shared/grpc/callUnary.js";
import { GoalsServiceClient } from "../../../gen/mealplan/goals/v1/goals.js";
import { goalNotSet, goalsDeadlineExceeded, goalsUnavailable } from "../mealErrors.js";

/** What the meals service needs of a goal: how much, and which version said so. */
export interface GoalSnapshot {
  dailyCalories: number;
  version: string;
}

const isGrpcError = (error: unknown): error is GrpcServiceError =>
  typeof error === "object" && error !== null && "code" in error && "details" in error;

/**
 * The meals service's one channel to the goals service. Every call carries the
 * caller's deadline (not the parent call itself, whose cancellation would
 * surface as CANCELLED instead of DEADLINE_EXCEEDED).
 */
export class GoalsGateway {
  private readonly client: GoalsServiceClient;

  constructor(private readonly target: string) {
    this.client = new GoalsServiceClient(target, credentials.createInsecure(), {
      "grpc.keepalive_time_ms": 30000,
      "grpc.keepalive_timeout_ms": 10000,
    });
  }

  async currentGoal(customerId: string, deadline: number): Promise<GoalSnapshot> {
    try {
      const { goal } = await callUnary(this.client, this.client.getGoal, { customerId }, deadline);
      return { dailyCalories: goal!.dailyCalories, version: goal!.version };
    } catch (error) {
      throw this.translate(error, customerId);
    }
  }

  close(): void {
    this.client.close();
  }

  private translate(error: unknown, customerId: string): unknown {
    if (!isGrpcError(error)) return error;
    switch (error.code) {
      case status.NOT_FOUND:
        return goalNotSet(customerId);
      case status.DEADLINE_EXCEEDED:
        return goalsDeadlineExceeded(this.target);
      case status.UNAVAILABLE:
      case status.RESOURCE_EXHAUSTED:
        return goalsUnavailable(this.target, error.details);
      default:
        return error;
    }
  }
}
