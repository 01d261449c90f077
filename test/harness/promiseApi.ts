import {
  credentials,
  type ServiceError as GrpcServiceError,
  type CallOptions,
  type Client,
  type ClientUnaryCall,
  type Metadata,
  type ServiceDefinition,
} from "@grpc/grpc-js";
import { callUnary } from "../../shared/grpc/callUnary.js";

type UnaryApi<C> = {
  [K in keyof C]: C[K] extends (
    request: infer Request,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: (error: GrpcServiceError | null, response: infer Response) => void,
  ) => ClientUnaryCall
    ? (request: Request, timeoutMs?: number) => Promise<Response>
    : never;
};

export type PromiseClient<C> = UnaryApi<Omit<C, keyof Client>> & { close(): void };

/** A generated client whose unary methods return promises, each call with a deadline. */
export function promiseClient<C extends Client>(
  ClientConstructor: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => C,
  definition: ServiceDefinition,
  address: string,
): PromiseClient<C> {
  const client = new ClientConstructor(address, credentials.createInsecure());
  const api: Record<string, unknown> = { close: () => client.close() };
  for (const name of Object.keys(definition)) {
    const method = (client as unknown as Record<string, Parameters<typeof callUnary>[1]>)[name];
    api[name] = (request: unknown, timeoutMs = 10000) => callUnary(client, method, request, Date.now() + timeoutMs);
  }
  return api as PromiseClient<C>;
}
