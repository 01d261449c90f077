/**
 * What the core needs to know of the call it works for: when the caller stops
 * waiting, and a signal that fires when the call ends early (the caller
 * cancelled, or the deadline passed). Everything that waits (a pooled
 * connection, a lock, the goals service) waits no longer than this.
 */
export interface CallScope {
  /** Epoch milliseconds. */
  readonly deadline: number;
  readonly signal: AbortSignal;
}

/** Why a signal fired, as an Error to reject with (the scope's signals carry DomainErrors). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}
