import { ServerInterceptingCall, ServerListenerBuilder, status, type Metadata, type ServerInterceptor } from "@grpc/grpc-js";
import { callerIdentity } from "../../security/callerIdentity.js";

/** What is known of a call when it ends: enough for its log line and its metrics. */
export interface EndedCall {
  /** e.g. /mealplan.goals.v1.GoalsService/GetGoal */
  method: string;
  code: status;
  durationSeconds: number;
  customerId: string | undefined;
  /** Who called, by the client certificate the handshake verified (callerIdentity); undefined without one. */
  caller: string | undefined;
  /** The status's trailing metadata (google.rpc details), when a status was sent; none when the call was cancelled. */
  trailer: Metadata | undefined;
}

export interface CallObserver {
  /** Told of every call as it arrives, before anything can refuse it. */
  onCallStarted?: (method: string) => void;
  onCallEnded: (call: EndedCall) => void;
}

/** The customer a request is about, for the call's log line. */
export function customerIdOf(request: unknown): string | undefined {
  const value = request as { customerId?: unknown; goal?: { customerId?: unknown }; meal?: { customerId?: unknown } };
  const id = value?.customerId || value?.goal?.customerId || value?.meal?.customerId;
  return typeof id === "string" && id !== "" ? id.slice(0, 64) : undefined;
}

function deadlinePassed(deadline: Date | number): boolean {
  const epochMs = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(epochMs) && Date.now() >= epochMs;
}

/**
 * Sees every call end exactly once, with its code, also those grpc-js ends
 * itself before any handler runs (a body over the size limit, a passed
 * deadline) and those the caller cancels. It must be the first interceptor:
 * it then wraps grpc-js's own call object, whose sendStatus every status
 * passes through, grpc-js's own included.
 */
export function observeCalls({ onCallStarted, onCallEnded }: CallObserver): ServerInterceptor {
  return (methodDescriptor, call) => {
    const method = methodDescriptor.path;
    const started = performance.now();
    onCallStarted?.(method);
    const caller = callerIdentity(call.getAuthContext());
    let customerId: string | undefined;
    let ended = false;
    const end = (code: status, trailer?: Metadata) => {
      if (ended) return;
      ended = true;
      onCallEnded({ method, code, durationSeconds: (performance.now() - started) / 1000, customerId, caller, trailer });
    };
    const sendStatus = call.sendStatus.bind(call);
    call.sendStatus = (statusObject) => {
      end(statusObject.code, statusObject.metadata ?? undefined);
      sendStatus(statusObject);
    };
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next(
          new ServerListenerBuilder()
            .withOnReceiveMessage((message, nextMessage) => {
              customerId = customerIdOf(message);
              nextMessage(message);
            })
            // The caller's own deadline may reset the stream before grpc-js's timer answers it.
            .withOnCancel(() => end(deadlinePassed(call.getDeadline()) ? status.DEADLINE_EXCEEDED : status.CANCELLED))
            .build(),
        ),
    });
  };
}
