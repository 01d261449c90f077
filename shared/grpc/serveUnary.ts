import type { CallScope } from "../call/CallScope.js";
import { callCancelled, deadlineExceeded, DomainError, type ErrorDetails } from "../errors/DomainError.js";
import type { Logger } from "../logging/Logger.js";
import { RefusedRequest, UndecodableRequest } from "./tolerantDeserializers.js";
import { Metadata, status, type handleUnaryCall, type ServerUnaryCall, type StatusObject } from "@grpc/grpc-js";
import { Any } from "@mealplan/client/gen/google/protobuf/any.js";
import { BadRequest, ErrorInfo, PreconditionFailure } from "@mealplan/client/gen/google/rpc/error_details.js";
import { Status } from "@mealplan/client/gen/google/rpc/status.js";
import { isDatabaseUnavailable } from "../database/databaseErrors.js";

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
 *
 * The signal, its timer and its listener are made when a handler first asks
 * for the signal: an AbortController alone costs a few microseconds of CPU,
 * and a handler that reads in autocommit (GetGoal) never waits on one
 * (docs/performance.md). A call that ended before the handler asked gets a
 * signal that has fired already.
 */
function openScope(call: ServerUnaryCall<unknown, unknown>, defaultDeadlineMs: number): CallScope & { close(): void } {
  const deadline = deadlineOf(call, defaultDeadlineMs);
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  // grpc-js reports a passed deadline as a cancellation too.
  const onCancelled = () => controller?.abort(Date.now() >= deadline ? deadlineExceeded() : callCancelled());
  return {
    deadline,
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        const ended = controller;
        timer = setTimeout(() => ended.abort(deadlineExceeded()), Math.max(0, deadline - Date.now()));
        if (call.cancelled) onCancelled();
        else call.once("cancelled", onCancelled);
      }
      return controller.signal;
    },
    close: () => {
      if (controller === undefined) return;
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

const STATUS_DETAILS_KEY = "grpc-status-details-bin";

function packAny(typeName: string, value: Uint8Array): Any {
  return { typeUrl: `type.googleapis.com/${typeName}`, value: Buffer.from(value) };
}

function encodeDetails(code: status, message: string, details: ErrorDetails, domain: string): Buffer {
  const { reason, metadata = {}, fieldViolations, preconditionViolations } = details;
  const packed = [packAny("google.rpc.ErrorInfo", ErrorInfo.encode({ reason, domain, metadata }).finish())];
  if (fieldViolations?.length) {
    packed.push(packAny("google.rpc.BadRequest", BadRequest.encode(BadRequest.fromPartial({ fieldViolations })).finish()));
  }
  if (preconditionViolations?.length) {
    packed.push(
      packAny("google.rpc.PreconditionFailure", PreconditionFailure.encode({ violations: preconditionViolations }).finish()),
    );
  }
  return Buffer.from(Status.encode({ code, message, details: packed }).finish());
}

/** AIP-193: the message for developers, and a google.rpc.Status with ErrorInfo (and BadRequest...) in the trailer. */
function statusObject(code: status, message: string, details: ErrorDetails, domain: string): StatusObject {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeDetails(code, message, details, domain));
  return { code, details: message, metadata };
}

/**
 * The one place where errors become gRPC statuses. A DomainError's kind is the
 * name of its code; an unreachable database is UNAVAILABLE; a body that could
 * not be decoded is INTERNAL, as gRPC servers answer it; anything else is a
 * fault whose text stays in the log, never in the response.
 */
export function toStatusObject(error: unknown, domain: string): StatusObject {
  if (error instanceof DomainError) return statusObject(status[error.kind], error.message, error.details, domain);
  if (error instanceof UndecodableRequest) {
    return statusObject(status.INTERNAL, error.message, { reason: "UNDECODABLE_REQUEST" }, domain);
  }
  if (isDatabaseUnavailable(error)) {
    return statusObject(
      status.UNAVAILABLE,
      "the database is unavailable or overloaded; retry later",
      {
        reason: "DATABASE_UNAVAILABLE",
      },
      domain,
    );
  }
  return statusObject(status.UNKNOWN, "unexpected server error; it has been logged", { reason: "UNEXPECTED_ERROR" }, domain);
}
