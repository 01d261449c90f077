import { status, type handleUnaryCall, type ServerUnaryCall } from "@grpc/grpc-js";
import type { CallScope } from "../call/CallScope.js";
import { callCancelled, deadlineExceeded } from "../errors/DomainError.js";
import type { Logger } from "../logging/Logger.js";
import { toStatusObject } from "./toStatusObject.js";
import { RefusedRequest } from "./tolerantDeserializers.js";

/** A method of the core's: a request in, a response out, and the scope of the call it serves. */
export type UnaryHandler<Request, Response> = (request: Request, call: CallScope) => Promise<Response>;

export interface ServeOptions {
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

/**
 * The scope a handler works in: its signal fires when the caller cancels or
 * the deadline passes (the caller's, or the default one when it sent none),
 * and whatever the handler waits on stops waiting (transactions roll back).
 */
function openScope(call: ServerUnaryCall<unknown, unknown>, defaultDeadlineMs: number): CallScope & { close(): void } {
  const deadline = deadlineOf(call, defaultDeadlineMs);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(deadlineExceeded()), Math.max(0, deadline - Date.now()));
  // grpc-js reports a passed deadline as a cancellation too.
  const onCancelled = () => controller.abort(Date.now() >= deadline ? deadlineExceeded() : callCancelled());
  call.once("cancelled", onCancelled);
  return {
    deadline,
    signal: controller.signal,
    close: () => {
      clearTimeout(timer);
      call.off("cancelled", onCancelled);
    },
  };
}

/**
 * Adapts a handler to grpc-js: every outcome, a rejection included, becomes
 * exactly one status (toStatusObject); a fault of ours is logged with its stack.
 * grpc-js does not await handlers, so an unguarded rejection would kill the
 * process. The call's log line and metrics are the observeCalls interceptor's.
 */
export function serveUnary<Request, Response>(
  method: string,
  handler: UnaryHandler<Request, Response>,
  { errorDomain, logger, defaultDeadlineMs }: ServeOptions,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const scope = openScope(call, defaultDeadlineMs);
    Promise.resolve()
      .then(() => {
        if (call.request instanceof RefusedRequest) throw call.request.reason;
        return handler(call.request, scope);
      })
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          const statusObject = toStatusObject(error, errorDomain);
          if (statusObject.code === status.UNKNOWN) {
            logger.error("fault", {
              method,
              error: error instanceof Error ? (error.stack ?? error.message) : String(error),
            });
          }
          callback(statusObject);
        },
      )
      .finally(() => scope.close());
  };
}
