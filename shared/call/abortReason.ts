/** Why a signal fired, as an Error to reject with (the scope's signals carry DomainErrors). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}
