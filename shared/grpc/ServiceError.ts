import { status } from "@grpc/grpc-js";

/** One request field that is wrong, as AIP-193's BadRequest.FieldViolation. */
export interface FieldViolation {
  field: string;
  description: string;
}

/** One unmet precondition, as AIP-193's PreconditionFailure.Violation. */
export interface PreconditionViolation {
  type: string;
  subject: string;
  description: string;
}

export interface ServiceErrorDetails {
  /** UPPER_SNAKE_CASE, stable per logical error (ErrorInfo.reason). */
  reason: string;
  metadata?: Record<string, string>;
  fieldViolations?: FieldViolation[];
  preconditionViolations?: PreconditionViolation[];
}

/** An error a handler means to send: the only kind whose message reaches the caller. */
export class ServiceError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly details: ServiceErrorDetails,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export function invalidArgument(fieldViolations: FieldViolation[]): ServiceError {
  const message = fieldViolations.map((v) => `${v.field}: ${v.description}`).join("; ");
  return new ServiceError(status.INVALID_ARGUMENT, `invalid request: ${message}`, {
    reason: "INVALID_ARGUMENT",
    fieldViolations,
  });
}

export function notFound(reason: string, message: string, metadata: Record<string, string>): ServiceError {
  return new ServiceError(status.NOT_FOUND, message, { reason, metadata });
}

export function etagMismatch(resource: string, expected: string, actual: string): ServiceError {
  return new ServiceError(
    status.ABORTED,
    `the ${resource}'s current etag is ${actual}, not ${expected}: read it again and retry`,
    { reason: "ETAG_MISMATCH", metadata: { resource, expected_etag: expected, current_etag: actual } },
  );
}
