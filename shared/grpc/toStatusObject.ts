import { Metadata, status, type StatusObject } from "@grpc/grpc-js";
import { Any } from "@mealplan/client/gen/google/protobuf/any.js";
import { BadRequest, ErrorInfo, PreconditionFailure } from "@mealplan/client/gen/google/rpc/error_details.js";
import { Status } from "@mealplan/client/gen/google/rpc/status.js";
import { isDatabaseUnavailable } from "../database/databaseErrors.js";
import { DomainError, type ErrorDetails } from "../errors/DomainError.js";
import { UndecodableRequest } from "./tolerantDeserializers.js";

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

/** Whether an error was meant for the caller, or is a fault of ours to log with its stack. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof DomainError || error instanceof UndecodableRequest || isDatabaseUnavailable(error);
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
