import { Metadata, status, type StatusObject } from "@grpc/grpc-js";
import { Any } from "../../gen/google/protobuf/any.js";
import { BadRequest, ErrorInfo, PreconditionFailure } from "../../gen/google/rpc/error_details.js";
import { Status } from "../../gen/google/rpc/status.js";
import { isDatabaseUnavailable } from "../database/databaseErrors.js";
import { ServiceError } from "./ServiceError.js";

const STATUS_DETAILS_KEY = "grpc-status-details-bin";

function packAny(typeName: string, value: Uint8Array): Any {
  return { typeUrl: `type.googleapis.com/${typeName}`, value: Buffer.from(value) };
}

function encodeDetails(error: ServiceError, domain: string): Buffer {
  const { reason, metadata = {}, fieldViolations, preconditionViolations } = error.details;
  const details = [packAny("google.rpc.ErrorInfo", ErrorInfo.encode({ reason, domain, metadata }).finish())];
  if (fieldViolations?.length) {
    details.push(packAny("google.rpc.BadRequest", BadRequest.encode({ fieldViolations }).finish()));
  }
  if (preconditionViolations?.length) {
    details.push(
      packAny("google.rpc.PreconditionFailure", PreconditionFailure.encode({ violations: preconditionViolations }).finish()),
    );
  }
  return Buffer.from(Status.encode({ code: error.code, message: error.message, details }).finish());
}

function fromServiceError(error: ServiceError, domain: string): StatusObject {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeDetails(error, domain));
  return { code: error.code, details: error.message, metadata };
}

/** Whether an error was meant for the caller or is a fault to log. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof ServiceError || isDatabaseUnavailable(error);
}

/**
 * The one place where errors become gRPC statuses. Only ServiceErrors speak
 * for themselves; an unreachable database is UNAVAILABLE; anything else is a
 * fault whose text stays in the log, never in the response.
 */
export function toStatusObject(error: unknown, domain: string): StatusObject {
  if (error instanceof ServiceError) return fromServiceError(error, domain);
  if (isDatabaseUnavailable(error)) {
    return fromServiceError(
      new ServiceError(status.UNAVAILABLE, "the database is unavailable or overloaded; retry later", {
        reason: "DATABASE_UNAVAILABLE",
      }),
      domain,
    );
  }
  return fromServiceError(
    new ServiceError(status.UNKNOWN, "unexpected server error; it has been logged", { reason: "UNEXPECTED_ERROR" }),
    domain,
  );
}
