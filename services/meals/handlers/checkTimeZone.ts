import type { FieldViolation } from "../../../shared/errors/DomainError.js";
import { quoteInput } from "../../../shared/errors/quoteInput.js";
import { isTimeZone } from "../domain/calendar.js";

/** Empty means UTC. */
export const timeZoneOrUtc = (timeZone: string) => (timeZone === "" ? "UTC" : timeZone);

/** The longest IANA name is 32 characters (America/Argentina/ComodRivadavia); anything far longer is not one. */
const MAX_TIME_ZONE_LENGTH = 64;

export function checkTimeZone(timeZone: string): FieldViolation[] {
  return timeZone.length <= MAX_TIME_ZONE_LENGTH && isTimeZone(timeZoneOrUtc(timeZone))
    ? []
    : [{ field: "time_zone", description: `${quoteInput(timeZone)} is not an IANA time zone such as Europe/Paris` }];
}
