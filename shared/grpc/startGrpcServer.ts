import { Server, status, type ServerInterceptor, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import { quoteInput } from "../errors/quoteInput.js";
import type { Logger } from "../logging/Logger.js";
import { countCalls } from "../observability/callMetrics.js";
import type { ServiceMetrics } from "../observability/metrics.js";
import type { AccessPolicy } from "../security/accessPolicy.js";
import { isLoopbackAddress, serverCredentials, type ServerTlsSettings } from "../security/tlsSettings.js";
import { authorizeCalls } from "./interceptors/authorizeCalls.js";
import { observeCalls, type CallObserver, type EndedCall } from "./interceptors/observeCalls.js";
import { loadReflectionDescriptors } from "./loadReflectionDescriptors.js";
import { withTolerantDeserializers } from "./tolerantDeserializers.js";

export interface GrpcServiceRegistration {
  /** Fully-qualified name, e.g. mealplan.goals.v1.GoalsService: the health check key. */
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  listen: string;
  services: GrpcServiceRegistration[];
  logger: Logger;
  /** Concurrent calls per client connection; grpc-js sets no limit of its own. */
  maxConcurrentStreams?: number;
  /** Serve TLS (mTLS with a client CA); plaintext without. */
  tls?: ServerTlsSettings;
  /** Who may call what; errorDomain is the ErrorInfo.domain of refusals. Needs tls with a client CA. */
  authorization?: { policy: AccessPolicy; errorDomain: string };
  /** Counted for every call, those grpc-js ends itself included. */
  metrics?: ServiceMetrics;
}

export interface RunningGrpcServer {
  readonly port: number;
  /**
   * Reports NOT_SERVING, lets calls in flight finish for up to graceMs, then
   * cuts whatever is left (a health Watch stream would otherwise hold it open).
   */
  shutdown(graceMs: number): Promise<void>;
  /** What health checks report for every service (and ""), e.g. NOT_SERVING while the database is unreachable. */
  setServing(serving: boolean): void;
}

/**
 * The largest request body the services take. The largest valid request is
 * under 2 KB; the bound is far above it so that an oversized field is refused
 * by its own check (INVALID_ARGUMENT naming the field), while a body beyond it
 * is refused by grpc-js (RESOURCE_EXHAUSTED) before it is decoded.
 */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const HEALTH_SERVICE = "grpc.health.v1.Health";

function bind(server: Server, address: string, tls: ServerTlsSettings | undefined): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, serverCredentials(tls), (error, port) => (error ? reject(error) : resolve(port))),
  );
}

/** grpc-js's lookup of a method's handler; not part of its typed API. */
interface HandlerLookup {
  _retrieveHandler(path: string): unknown;
}

/**
 * grpc-js answers a method it does not know with UNIMPLEMENTED before any
 * interceptor runs; looked up as this handler instead, the call is answered
 * the same way but observed (logged, counted) like every other. Returns
 * whether the server has a method, by grpc-js's own lookup.
 */
function answerUnknownMethodsThroughInterceptors(server: Server): (path: string) => boolean {
  const lookup = server as unknown as HandlerLookup;
  const retrieveHandler = lookup._retrieveHandler.bind(server);
  const isKnownMethod = (path: string) => retrieveHandler(path) !== null;
  lookup._retrieveHandler = (path) =>
    retrieveHandler(path) ?? {
      type: "unary",
      path,
      serialize: (message: Buffer) => message,
      deserialize: (bytes: Buffer) => bytes,
      func: (_call: unknown, callback: (error: { code: status; details: string }) => void) =>
        callback({ code: status.UNIMPLEMENTED, details: `this server has no method ${quoteInput(path)}` }),
    };
  return isKnownMethod;
}

/** Codes that mean a fault of the server's, not of the request: their call lines are errors. */
const SERVER_FAULTS = new Set([status.UNKNOWN, status.INTERNAL, status.DATA_LOSS]);

/** One log line per call, whatever ended it. */
function logCall(logger: Logger): (call: EndedCall) => void {
  return ({ method, code, durationSeconds, customerId, caller }) => {
    const fields = {
      method,
      code: status[code],
      duration_ms: Math.round(durationSeconds * 1_000_000) / 1000,
      customer_id: customerId,
      caller,
    };
    if (SERVER_FAULTS.has(code)) logger.error("call", fields);
    else logger.info("call", fields);
  };
}

/** The interceptor chain: observeCalls first (it must see every end, refusals included), then authorization. */
function interceptorChain(
  { logger, authorization, metrics }: GrpcServerOptions,
  isKnownMethod: (path: string) => boolean,
): ServerInterceptor[] {
  const logLine = logCall(logger);
  const counted = metrics && countCalls(metrics, isKnownMethod);
  const observer: CallObserver =
    counted === undefined
      ? { onCallEnded: logLine }
      : {
          onCallStarted: counted.onCallStarted,
          onCallEnded: (call) => {
            counted.onCallEnded(call);
            logLine(call);
          },
        };
  const interceptors = [observeCalls(observer)];
  if (authorization !== undefined) interceptors.push(authorizeCalls({ ...authorization, logger }));
  return interceptors;
}

/** Serves the given services with health checking and server reflection. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { listen, services, logger, maxConcurrentStreams = 256, tls } = options;
  // The chain goes to the Server's constructor; the lookup it asks, once calls arrive, exists only after it.
  let isKnownMethod: (path: string) => boolean = () => false;
  const server = new Server({
    "grpc.max_concurrent_streams": maxConcurrentStreams,
    "grpc.max_receive_message_length": MAX_REQUEST_BYTES,
    interceptors: interceptorChain(options, (path) => isKnownMethod(path)),
  });
  isKnownMethod = answerUnknownMethodsThroughInterceptors(server);
  for (const { definition, implementation } of services) {
    server.addService(withTolerantDeserializers(definition), implementation);
  }

  const healthKeys = ["", ...services.map((service) => service.name)];
  const health = new HealthImplementation(Object.fromEntries(healthKeys.map((key) => [key, "SERVING"])));
  health.addToServer(server);
  new ReflectionService(loadReflectionDescriptors(), {
    services: [...services.map((service) => service.name), HEALTH_SERVICE],
  }).addToServer(server);

  const port = await bind(server, listen, tls);
  logger.info("listening", { address: listen, port, tls: tls === undefined ? "off" : tls.clientCa ? "mtls" : "tls" });
  if (tls === undefined && !isLoopbackAddress(listen)) {
    logger.warn("serving plaintext on a non-loopback address: anyone on the network can read and send calls", {
      address: listen,
      hint: "set TLS_CERT and TLS_KEY (and TLS_CLIENT_CA for mTLS)",
    });
  }

  let stopping = false;
  return {
    port,
    setServing: (serving) => {
      if (stopping) return;
      for (const key of healthKeys) health.setStatus(key, serving ? "SERVING" : "NOT_SERVING");
    },
    shutdown: (graceMs) =>
      new Promise<void>((resolve) => {
        stopping = true;
        for (const key of healthKeys) health.setStatus(key, "NOT_SERVING");
        const force = setTimeout(() => {
          logger.error("shutdown grace period over; cancelling remaining calls", { grace_ms: graceMs });
          server.forceShutdown();
          resolve();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
