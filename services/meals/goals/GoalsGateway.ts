import { credentials, status, type ServiceError as GrpcServiceError } from "@grpc/grpc-js";
import { callUnary } from "../../../shared/grpc/callUnary.js";
import { GoalsServiceClient } from "../../../gen/mealplan/goals/v1/goals.js";
import { goalNotSet, goalsDeadlineExceeded, goalsUnavailable } from "../mealErrors.js";
import { LastSeenGoals } from "./LastSeenGoals.js";

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
 * surface as CANCELLED instead of DEADLINE_EXCEEDED). It remembers the last
 * goal it was given per customer, as a first guess for the version protocol.
 */
export class GoalsGateway {
  private readonly client: GoalsServiceClient;
  private readonly lastSeen = new LastSeenGoals();

  constructor(private readonly target: string) {
    this.client = new GoalsServiceClient(target, credentials.createInsecure(), {
      "grpc.keepalive_time_ms": 30000,
      "grpc.keepalive_timeout_ms": 10000,
    });
  }

  async currentGoal(customerId: string, deadline: number): Promise<GoalSnapshot> {
    try {
      const { goal } = await callUnary(this.client, this.client.getGoal, { customerId }, deadline);
      const snapshot = { dailyCalories: goal!.dailyCalories, version: goal!.version };
      this.lastSeen.remember(customerId, snapshot);
      return snapshot;
    } catch (error) {
      if (isGrpcError(error) && error.code === status.NOT_FOUND) this.lastSeen.forget(customerId);
      throw this.translate(error, customerId);
    }
  }

  /** The goal this gateway last fetched for the customer, if it still remembers it: possibly out of date. */
  lastSeenGoal(customerId: string): GoalSnapshot | undefined {
    return this.lastSeen.get(customerId);
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
