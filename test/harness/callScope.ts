import type { CallScope } from "../../shared/call/CallScope.js";

/** The scope of a call that lasts at most `timeoutMs`, for tests that drive the core below the gRPC surface. */
export function callScope(timeoutMs = 10000): CallScope {
  return { deadline: Date.now() + timeoutMs, signal: AbortSignal.timeout(timeoutMs) };
}
