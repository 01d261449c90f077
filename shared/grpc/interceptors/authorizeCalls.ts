import { ServerInterceptingCall, type ServerInterceptor } from "@grpc/grpc-js";
import { DomainError } from "../../errors/DomainError.js";
import { quoteInput } from "../../errors/quoteInput.js";
import type { Logger } from "../../logging/Logger.js";
import type { AccessPolicy } from "../../security/accessPolicy.js";
import { callerIdentity } from "../../security/callerIdentity.js";
import { toStatusObject } from "../serveUnary.js";

export interface AuthorizationOptions {
  policy: AccessPolicy;
  /** ErrorInfo.domain of the refusals, the service's own. */
  errorDomain: string;
  logger: Logger;
}

/** ErrorInfo.reason of a refused call, by its code. */
const REFUSAL_REASONS = { UNAUTHENTICATED: "CALLER_UNKNOWN", PERMISSION_DENIED: "METHOD_NOT_ALLOWED" } as const;

/**
 * Lets a call through only if the access policy allows its caller (the
 * verified client certificate's identity) the method. A refused call is
 * answered as soon as its headers arrive: its body is never read and its
 * handler never runs. Placed after observeCalls, so refusals are logged and
 * counted like any other call end.
 */
export function authorizeCalls({ policy, errorDomain, logger }: AuthorizationOptions): ServerInterceptor {
  return (methodDescriptor, call) => {
    const caller = callerIdentity(call.getAuthContext());
    const decision = policy.authorize(caller, methodDescriptor.path);
    if (decision.allowed) return new ServerInterceptingCall(call);
    const { code } = decision;
    const method = quoteInput(methodDescriptor.path);
    // The policy's reason quotes the path whole; a caller chooses the path, so the message quotes it bounded.
    const reason = code === "PERMISSION_DENIED" ? `caller ${JSON.stringify(caller)} may not call ${method}` : decision.reason;
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: () => {
            logger.warn("call refused", { caller, method, code, reason });
            const refusal = new DomainError(code, reason, {
              reason: REFUSAL_REASONS[code],
              metadata: { method, ...(caller === undefined ? {} : { caller }) },
            });
            call.sendStatus(toStatusObject(refusal, errorDomain));
          },
          // Neither the body nor the end of it goes on to the handler, which never starts.
          onReceiveMessage: () => {},
          onReceiveHalfClose: () => {},
        }),
    });
  };
}
