import type { FieldViolation } from "../../../shared/errors/DomainError.js";

/** Revision times are DATETIME(3), which holds years 1000-9999; none lies before the epoch. */
const LATEST_INSTANT = Date.UTC(9999, 0, 1);

/** An optional Timestamp field: absent, or an instant revisions can be compared with. */
export function checkInstant(instant: Date | undefined, field: string): FieldViolation[] {
  const time = instant?.getTime();
  return time === undefined || (time >= 0 && time < LATEST_INSTANT)
    ? []
    : [{ field, description: "must be between 1970-01-01 and 9999-01-01" }];
}
