import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { BadRequest, ErrorInfo, PreconditionFailure } from "../gen/google/rpc/error_details.js";
import { Status } from "../gen/google/rpc/status.js";

const STATUS_DETAILS_KEY = "grpc-status-details-bin";

export interface FieldViolation {
  /** The request field, as a path: `goal.daily_calories`, `page_token`, ... */
  field: string;
  description: string;
}

export interface PreconditionViolation {
  type: string;
  subject: string;
  description: string;
}

/**
 * A failed call, with what the service said about it: the gRPC code, the
 * AIP-193 ErrorInfo (a stable `reason` to branch on, `domain`, `metadata`), the
 * BadRequest field violations and PreconditionFailure violations. The only
 * error a mealplan client rejects with.
 */
export class MealplanError extends Error {
  /** e.g. GOAL_NOT_FOUND, ETAG_MISMATCH, GOALS_UNAVAILABLE; undefined when the status carried no ErrorInfo. */
  readonly reason: string | undefined;
  readonly domain: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly fieldViolations: readonly FieldViolation[];
  readonly preconditionViolations: readonly PreconditionViolation[];

  constructor(
    readonly code: status,
    message: string,
    details: { errorInfo?: ErrorInfo; badRequest?: BadRequest; preconditionFailure?: PreconditionFailure } = {},
  ) {
    super(message);
    this.name = "MealplanError";
    this.reason = details.errorInfo?.reason;
    this.domain = details.errorInfo?.domain;
    this.metadata = details.errorInfo?.metadata ?? {};
    this.fieldViolations = details.badRequest?.fieldViolations.map(({ field, description }) => ({ field, description })) ?? [];
    this.preconditionViolations = details.preconditionFailure?.violations ?? [];
  }

  /** The name of the code: `NOT_FOUND`, `ABORTED`, ... */
  get codeName(): string {
    return status[this.code] ?? `CODE_${this.code}`;
  }

  /** On ABORTED (ETAG_MISMATCH) and ALREADY_EXISTS: the etag the resource has now, to re-read or retry with. */
  get currentEtag(): string | undefined {
    return this.metadata.current_etag;
  }

  /** The fields a BadRequest named. */
  get fields(): string[] {
    return this.fieldViolations.map((violation) => violation.field);
  }
}

function decodeDetails(metadata: Metadata | undefined): ConstructorParameters<typeof MealplanError>[2] {
  const [raw] = metadata?.get(STATUS_DETAILS_KEY) ?? [];
  if (!(raw instanceof Uint8Array)) return {};
  const decoded: ConstructorParameters<typeof MealplanError>[2] = {};
  try {
    for (const detail of Status.decode(raw).details) {
      const typeName = detail.typeUrl.slice(detail.typeUrl.lastIndexOf("/") + 1);
      if (typeName === "google.rpc.ErrorInfo") decoded.errorInfo = ErrorInfo.decode(detail.value);
      if (typeName === "google.rpc.BadRequest") decoded.badRequest = BadRequest.decode(detail.value);
      if (typeName === "google.rpc.PreconditionFailure") decoded.preconditionFailure = PreconditionFailure.decode(detail.value);
    }
  } catch {
    // A peer that is not a mealplan service (a proxy, say) may send details we cannot read: the code still stands.
  }
  return decoded;
}

/** A grpc-js call error as a MealplanError, its google.rpc.Status details decoded. */
export function toMealplanError(error: ServiceError): MealplanError {
  return new MealplanError(error.code, error.details, decodeDetails(error.metadata));
}
