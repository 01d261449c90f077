import {
  Client,
  credentials,
  Metadata,
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type ServiceError,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";

/** Sends a request on to the real service. */
export type Forward<Request, Response> = (request: Request) => Promise<Response>;

/** What the proxy does to one method instead of forwarding it unchanged. */
export type Fault<Request, Response> = (request: Request, forward: Forward<Request, Response>) => Promise<Response>;

export interface FaultyProxy {
  address: string;
  stop(): void;
}

const FORWARD_DEADLINE_MS = 10000;

/** Files a fault under its method; the proxy hands it that method's own decoded messages. */
export function fault<Request, Response>(alter: Fault<Request, Response>): Fault<unknown, unknown> {
  return alter as unknown as Fault<unknown, unknown>;
}

/**
 * A gRPC proxy in front of a real service that forwards every unary call,
 * except the methods given a fault: a stand-in for a buggy replica, to show
 * that the verifier catches what such a replica does under real load.
 */
export async function startFaultyProxy(
  definition: ServiceDefinition,
  target: string,
  faults: Record<string, Fault<unknown, unknown>>,
): Promise<FaultyProxy> {
  const upstream = new Client(target, credentials.createInsecure());
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const forward: Forward<unknown, unknown> = (request) =>
      new Promise((resolve, reject) =>
        upstream.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          new Metadata(),
          { deadline: Date.now() + FORWARD_DEADLINE_MS },
          (error, response) => (error ? reject(error) : resolve(response)),
        ),
      );
    const alter = faults[name] ?? ((request, next) => next(request));
    implementation[name] = (call: { request: unknown }, callback: (error: ServiceError | null, response?: unknown) => void) => {
      alter(call.request, forward).then(
        (response) => callback(null, response),
        (error: ServiceError) => callback(error),
      );
    };
  }
  const server = new Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    stop: () => {
      server.forceShutdown();
      upstream.close();
    },
  };
}

/** Answers a method from what it answered for the same key less than `maxAgeMs` ago: a cache that ignores writes. */
export function staleCache<Request, Response>(keyOf: (request: Request) => string, maxAgeMs: number): Fault<Request, Response> {
  const answers = new Map<string, { at: number; response: Response }>();
  return async (request, forward) => {
    const cached = answers.get(keyOf(request));
    if (cached && Date.now() - cached.at < maxAgeMs) return cached.response;
    const response = await forward(request);
    answers.set(keyOf(request), { at: Date.now(), response });
    return response;
  };
}
