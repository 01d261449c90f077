import { status, type ChannelCredentials } from "@grpc/grpc-js";
import {
  createGoalsClient,
  defaultServiceConfig,
  GOALS_SERVICE,
  MealplanError,
  RevisionAction,
  type GoalsClient,
  type ServiceConfig,
} from "@mealplan/client";
import type { CallScope } from "../../../shared/call/CallScope.js";
import { DomainError } from "../../../shared/errors/DomainError.js";
import { quoteInput } from "../../../shared/errors/quoteInput.js";
import type { DayWindow } from "../domain/calendar.js";
import type { GoalRevision } from "../domain/goalOfDay.js";
import { goalNotSet, goalsDeadlineExceeded, goalsUnavailable } from "../mealErrors.js";

/** What the meals service needs of a goal: how much, and which version said so. */
export interface GoalSnapshot {
  dailyCalories: number;
  version: string;
}

/** ListGoalRevisions' largest page: a window rarely holds more revisions, so a history is one call. */
const HISTORY_PAGE_SIZE = 1000;

/** What one goals call is given: the deadline within the caller's, and the caller's cancellation. */
interface GoalsCallOptions {
  deadline: number;
  signal: AbortSignal;
}

export interface GoalsGatewayOptions {
  /** host:port, or dns:///host:port to balance over every goals replica. */
  target: string;
  credentials?: ChannelCredentials;
  /** The longest one goals call may take, within the caller's deadline. */
  callTimeoutMs: number;
  /** Told the status code each call to goals ended with (for the metrics). */
  onCallEnded?: (code: status) => void;
}

/**
 * GetGoal waits for a connection that is still being made (wait-for-ready),
 * so the first call after goals restarts succeeds instead of failing while
 * the channel is between reconnect attempts; the call's own short deadline
 * bounds that wait.
 */
function goalsServiceConfig(): ServiceConfig {
  const config = defaultServiceConfig(GOALS_SERVICE);
  return { ...config, methodConfig: config.methodConfig.map((method) => ({ ...method, waitForReady: true })) };
}

/**
 * The meals service's one channel to the goals service (the typed client of
 * @mealplan/client). Every call is bounded by the caller's deadline and by
 * callTimeoutMs, and is cancelled when the caller's call ends.
 */
export class GoalsGateway {
  private readonly client: GoalsClient;
  private readonly target: string;
  private readonly callTimeoutMs: number;
  private readonly onCallEnded: (code: status) => void;

  constructor({ target, credentials, callTimeoutMs, onCallEnded = () => {} }: GoalsGatewayOptions) {
    this.target = target;
    this.callTimeoutMs = callTimeoutMs;
    this.onCallEnded = onCallEnded;
    this.client = createGoalsClient(target, {
      credentials,
      serviceConfig: goalsServiceConfig(),
      // Reconnect attempts at most a second apart: after goals restarts, a waiting call connects within it.
      channelOptions: { "grpc.initial_reconnect_backoff_ms": 100, "grpc.max_reconnect_backoff_ms": 1000 },
    });
  }

  async currentGoal(customerId: string, call: CallScope): Promise<GoalSnapshot> {
    try {
      const { goal } = await this.ask(call, (options) => this.client.getGoal({ customerId }, options));
      return { dailyCalories: goal!.dailyCalories, version: goal!.version };
    } catch (error) {
      if (!(error instanceof MealplanError)) throw error;
      throw this.translate(error, customerId);
    }
  }

  /**
   * The customer's goal history over the window: the revision in force at its
   * start and every one written inside it (ListGoalRevisions with the window),
   * in one call unless the window holds more than a page. None for a customer
   * who never had a goal; whether that leaves nothing to judge by is the caller's to say.
   */
  async goalHistory(customerId: string, window: DayWindow, call: CallScope): Promise<GoalRevision[]> {
    const revisions: GoalRevision[] = [];
    let pageToken = "";
    do {
      const request = {
        customerId,
        pageSize: HISTORY_PAGE_SIZE,
        pageToken,
        inForceStartTime: window.start,
        inForceEndTime: window.end,
      };
      try {
        const page = await this.ask(call, (options) => this.client.listGoalRevisions(request, options));
        for (const { goal, action, revisionTime } of page.revisions) {
          revisions.push({
            version: goal!.version,
            revisionTime: revisionTime!,
            dailyCalories: goal!.dailyCalories,
            deleted: action === RevisionAction.REVISION_ACTION_DELETE,
          });
        }
        pageToken = page.nextPageToken;
      } catch (error) {
        if (!(error instanceof MealplanError)) throw error;
        if (error.code === status.NOT_FOUND) return [];
        throw this.translate(error, customerId);
      }
    } while (pageToken !== "");
    return revisions;
  }

  close(): void {
    this.client.close();
  }

  /**
   * One call to goals, bounded by the caller's deadline and callTimeoutMs and
   * cancelled with the caller's call. Rejects with the MealplanError goals
   * answered, or with DEADLINE_EXCEEDED / the call's end when those came first.
   */
  private async ask<Response>(call: CallScope, perform: (options: GoalsCallOptions) => Promise<Response>): Promise<Response> {
    const deadline = Math.min(call.deadline, Date.now() + this.callTimeoutMs);
    try {
      const response = await perform({ deadline, signal: call.signal });
      this.onCallEnded(status.OK);
      return response;
    } catch (error) {
      if (error instanceof MealplanError) this.onCallEnded(error.code);
      // The caller's deadline passed while goals had not answered: say so, rather than only that the call ended.
      // The scope's timer may fire a millisecond before Date.now() reaches the deadline; its reason tells.
      const reason: unknown = call.signal.reason;
      const deadlinePassed = reason instanceof DomainError ? reason.kind === "DEADLINE_EXCEEDED" : Date.now() >= call.deadline;
      if (deadlinePassed) throw goalsDeadlineExceeded(this.target);
      call.signal.throwIfAborted();
      throw error;
    }
  }

  private translate(error: MealplanError, customerId: string): Error {
    switch (error.code) {
      case status.NOT_FOUND:
        return goalNotSet(customerId);
      case status.DEADLINE_EXCEEDED:
        return goalsUnavailable(this.target, `no answer within ${this.callTimeoutMs} ms`);
      case status.UNAVAILABLE:
      case status.RESOURCE_EXHAUSTED:
        return goalsUnavailable(this.target, `${error.codeName}: ${quoteInput(error.message)}`);
      default:
        // Whatever else goals says (a refused certificate, a policy that denies meals) is a fault of the
        // deployment, not of this request: the caller can only retry later.
        return goalsUnavailable(this.target, `it answered ${error.codeName}`);
    }
  }
}
