/**
 * What went wrong, in the terms of the contract rather than of gRPC: the core
 * (repositories, transactions, the version protocol) throws these, and the
 * gRPC edge (shared/grpc/toStatusObject) turns each kind into the status of
 * the same name. Messages may reach the caller, so they quote input only
 * through quoteInput.
 */
export type ErrorKind =
  | "CANCELLED"
  | "INVALID_ARGUMENT"
  | "DEADLINE_EXCEEDED"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "PERMISSION_DENIED"
  | "RESOURCE_EXHAUSTED"
  | "FAILED_PRECONDITION"
  | "ABORTED"
  | "UNAVAILABLE"
  | "UNAUTHENTICATED";

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

export interface ErrorDetails {
  /** UPPER_SNAKE_CASE, stable per logical error (ErrorInfo.reason). */
  reason: string;
  metadata?: Record<string, string>;
  fieldViolations?: FieldViolation[];
  preconditionViolations?: PreconditionViolation[];
}

/** An error meant for the caller: the only kind whose message leaves the service. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: ErrorDetails,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function invalidArgument(fieldViolations: FieldViolation[]): DomainError {
  const message = fieldViolations.map((v) => `${v.field}: ${v.description}`).join("; ");
  return new DomainError("INVALID_ARGUMENT", `invalid request: ${message}`, { reason: "INVALID_ARGUMENT", fieldViolations });
}

export function notFound(reason: string, message: string, metadata: Record<string, string>): DomainError {
  return new DomainError("NOT_FOUND", message, { reason, metadata });
}

export function etagMismatch(resource: string, expected: string, actual: string): DomainError {
  return new DomainError("ABORTED", `the ${resource}'s current etag is ${actual}, not ${expected}: read it again and retry`, {
    reason: "ETAG_MISMATCH",
    metadata: { resource, expected_etag: expected, current_etag: actual },
  });
}

/** Why a call's AbortSignal fired: its work stops and rolls back, and this is what the caller is told. */
export function deadlineExceeded(): DomainError {
  return new DomainError("DEADLINE_EXCEEDED", "the call's deadline passed before it finished; nothing was changed", {
    reason: "DEADLINE_EXCEEDED",
  });
}

export function callCancelled(): DomainError {
  return new DomainError("CANCELLED", "the caller cancelled the call; nothing was changed", { reason: "CANCELLED" });
}
