import { type FieldViolation, invalidArgument } from "../errors/DomainError.js";
import { quoteInput } from "../errors/quoteInput.js";

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

/** Control characters: line breaks and tabs are let through only where text may span lines. */
const SINGLE_LINE_CONTROL = /\p{Cc}/u;
const MULTI_LINE_CONTROL = /[^\P{Cc}\t\n\r]/u;
/** Text a reader would see nothing of: white space, and format characters such as zero-width spaces. */
const INVISIBLE = /^[\p{White_Space}\p{Cf}]*$/u;

export interface TextRule {
  min: number;
  max: number;
  multiline?: boolean;
}

/**
 * Free text: at most `max` characters (code points), no control characters, and when required (min >= 1)
 * at least one visible character: a name of one NUL or one zero-width space is no name.
 */
export function checkText(value: string, { min, max, multiline = false }: TextRule, field: string): FieldViolation[] {
  // A string of more UTF-16 units than twice the limit has more code points than the limit: no need to count.
  const length = value.length > 2 * max ? Infinity : [...value].length;
  if (length > max) return [{ field, description: `must be at most ${max} characters` }];
  if ((multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).test(value)) {
    return [{ field, description: "must not contain control characters" }];
  }
  if (min >= 1 && INVISIBLE.test(value)) return [{ field, description: "is required" }];
  return length < min ? [{ field, description: `must be at least ${min} characters` }] : [];
}

/** Etags are the version behind a stable prefix, so they stay opaque yet cheap to check. */
export function etagOf(version: string): string {
  return `v${version}`;
}

const ETAG = /^v([1-9]\d{0,18})$/;

/** The version an etag names, or undefined when the caller sent none. */
export function versionFromEtag(etag: string | undefined, field: string): string | undefined {
  if (etag === undefined || etag === "") return undefined;
  const match = ETAG.exec(etag);
  if (!match) throw invalidArgument([{ field, description: `${quoteInput(etag)} is not an etag this service issued` }]);
  return match[1];
}
