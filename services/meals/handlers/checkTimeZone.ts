import type { FieldViolation } from "../../../shared/errors/DomainError.js";
import { isTimeZone } from "../domain/calendar.js";

/** Empty means UTC. */
export const timeZoneOrUtc = (timeZone: string) => (timeZone === "" ? "UTC" : timeZone);

export function checkTimeZone(timeZone: string): FieldViolation[] {
  return isTimeZone(timeZoneOrUtc(timeZone))
    ? []
    : [{ field: "time_zone", description: `"${timeZone}" is not an IANA time zone such as Europe/Paris` }];
}
