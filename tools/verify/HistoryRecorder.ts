import { MealplanError } from "@mealplan/client";
import type { CallOf, CallRecord, FinalGoalRecord, History, Method, Methods, Outcome } from "./History.js";
import { MalformedResponseError } from "./MalformedResponseError.js";
import { recordedError } from "./recordedError.js";

/** Who makes a call and where it goes. */
export interface CallSite<M extends Method> {
  method: M;
  customerId: string;
  client: number;
  replica: string;
}

/**
 * Times and records every call of a run. The clock is read just before the
 * call is made and just after its answer is in, so the recorded window
 * contains the moment the call took effect.
 */
export class HistoryRecorder {
  readonly startedAtEpochMs = Date.now();
  private readonly origin = performance.now();
  private readonly calls: CallRecord[] = [];
  private nextId = 1;
  private failed = 0;

  get callCount(): number {
    return this.calls.length;
  }

  get errorCount(): number {
    return this.failed;
  }

  /** Runs `perform` and records it; resolves with its outcome and never rejects for a gRPC error. */
  async record<M extends Method>(
    site: CallSite<M>,
    request: Methods[M]["request"],
    perform: () => Promise<Methods[M]["response"]>,
  ): Promise<Outcome<Methods[M]["response"]>> {
    const id = this.nextId++;
    const invokedAt = this.now();
    let outcome: Outcome<Methods[M]["response"]>;
    try {
      outcome = { status: "ok", response: await perform() };
    } catch (error) {
      if (error instanceof MalformedResponseError) outcome = { status: "error", ...error.toRecordedError() };
      else if (error instanceof MealplanError) outcome = { status: "error", ...recordedError(error) };
      else throw error;
      this.failed += 1;
    }
    const call: CallOf<M> = { id, ...site, invokedAt, completedAt: this.now(), request, outcome };
    this.calls.push(call as CallRecord);
    return outcome;
  }

  /** The recorded calls in invocation order, with what the run read at the end. */
  history(customers: string[], finalGoals: Record<string, FinalGoalRecord>, seededVersions: Record<string, number>): History {
    const calls = [...this.calls].sort((a, b) => a.id - b.id);
    return { startedAtEpochMs: this.startedAtEpochMs, customers, calls, finalGoals, seededVersions };
  }

  /** Milliseconds since the run started, on the clock the calls are timed with. */
  now(): number {
    return performance.now() - this.origin;
  }
}
