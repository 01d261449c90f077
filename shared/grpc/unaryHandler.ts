import { status, type handleUnaryCall, type ServerUnaryCall } from "@grpc/grpc-js";
import type { Logger } from "../logging/Logger.js";
import { isExpectedError, toStatusObject } from "./toStatusObject.js";

export interface CallContext {
  /** Epoch milliseconds by which the caller wants an answer. */
  readonly deadline: number;
}

export type UnaryHandler<Request, Response> = (request: Request, context: CallContext) => Promise<Response>;

export interface UnaryHandlerOptions {
  /** ErrorInfo.domain of every error this service sends. */
  errorDomain: string;
  logger: Logger;
  /** Applied when the caller sent no deadline, so no call can hold resources forever. */
  defaultDeadlineMs: number;
}

function deadlineOf(call: ServerUnaryCall<unknown, unknown>, defaultDeadlineMs: number): number {
  const deadline = call.getDeadline();
  const epochMs = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(epochMs) ? epochMs : Date.now() + defaultDeadlineMs;
}

/** The customer a request is about, for the call's log line. */
export function customerIdOf(request: unknown): string | undefined {
  const value = request as { customerId?: unknown; goal?: { customerId?: unknown }; meal?: { customerId?: unknown } };
  const id = value?.customerId || value?.goal?.customerId || value?.meal?.customerId;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * Adapts an async handler to grpc-js: every outcome, including a rejection,
 * becomes exactly one status, and every call leaves one log line. grpc-js does
 * not await handlers, so an unguarded rejection would kill the process.
 */
export function unaryHandler<Request, Response>(
  method: string,
  handler: UnaryHandler<Request, Response>,
  { errorDomain, logger, defaultDeadlineMs }: UnaryHandlerOptions,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const started = performance.now();
    const logCall = (code: status, error?: unknown) => {
      const fields = {
        method,
        code: status[code],
        duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
        customer_id: customerIdOf(call.request),
      };
      if (error === undefined) logger.info("call", fields);
      else logger.error("call", { ...fields, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    };
    const context: CallContext = { deadline: deadlineOf(call, defaultDeadlineMs) };
    Promise.resolve()
      .then(() => handler(call.request, context))
      .then(
        (response) => {
          callback(null, response);
          logCall(status.OK);
        },
        (error: unknown) => {
          const statusObject = toStatusObject(error, errorDomain);
          callback(statusObject);
          logCall(statusObject.code, isExpectedError(error) ? undefined : error);
        },
      );
  };
}
