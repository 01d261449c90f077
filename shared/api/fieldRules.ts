import type { FieldViolation } from "../errors/DomainError.js";

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function checkCustomerId(customerId: string, field = "customer_id"): FieldViolation[] {
  return CUSTOMER_ID.test(customerId)
    ? []
    : [{ field, description: "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'" }];
}

/** request_id is optional; when present it must be a usable idempotency key such as a UUID. */
export function checkRequestId(requestId: string): FieldViolation[] {
  return requestId === "" || REQUEST_ID.test(requestId)
    ? []
    : [{ field: "request_id", description: "must be at most 64 characters of A-Z, a-z, 0-9, '.', '_' and '-' (a UUID fits)" }];
}

export function checkIntegerRange(value: number, min: number, max: number, field: string): FieldViolation[] {
  return Number.isInteger(value) && value >= min && value <= max
    ? []
    : [{ field, description: `must be between ${min} and ${max}` }];
}

export function checkTextLength(value: string, min: number, max: number, field: string): FieldViolation[] {
  const length = [...value].length;
  if (length < min) return [{ field, description: min === 1 ? "is required" : `must be at least ${min} characters` }];
  return length > max ? [{ field, description: `must be at most ${max} characters` }] : [];
}
