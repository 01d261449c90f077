import { DomainError } from "./DomainError.js";

/** Why a call's AbortSignal fired: its work stops and rolls back, and this is what the caller is told. */
export function deadlineExceeded(): DomainError {
  return new DomainError("DEADLINE_EXCEEDED", "the call's deadline passed before it finished; nothing was changed", {
    reason: "DEADLINE_EXCEEDED",
  });
}

export function callCancelled(): DomainError {
  return new DomainError("CANCELLED", "the caller cancelled the call; nothing was changed", { reason: "CANCELLED" });
}
