import {
  Client,
  credentials as grpcCredentials,
  Metadata,
  type ChannelCredentials,
  type ChannelOptions,
  type ServiceDefinition,
} from "@grpc/grpc-js";
import { toMealplanError } from "./MealplanError.js";
import { defaultServiceConfig, type ServiceConfig } from "./serviceConfig.js";

export interface CallOptions {
  /** When the caller stops waiting, as a Date or epoch milliseconds; default: now plus the client's defaultTimeoutMs. */
  deadline?: Date | number;
  /** Aborting it cancels the call; the service stops the work it started for it (its transaction rolls back). */
  signal?: AbortSignal;
  metadata?: Metadata;
}

export interface ClientOptions {
  /** Default: plaintext. For TLS or mTLS: `credentials.createSsl(ca, clientKey, clientCert)` from @grpc/grpc-js. */
  credentials?: ChannelCredentials;
  /** The deadline of a call that names none; no call is ever sent without one. Default 10 s. */
  defaultTimeoutMs?: number;
  /** Replaces the default service config (defaultServiceConfig: round_robin, reads retried on UNAVAILABLE). */
  serviceConfig?: ServiceConfig;
  /** grpc-js channel options, over the defaults (keepalive, the service config). */
  channelOptions?: ChannelOptions;
}

type UnaryMethods<Definition> = {
  [Method in keyof Definition]: Definition[Method] extends {
    requestSerialize: (request: infer Request) => Buffer;
    responseDeserialize: (bytes: Buffer) => infer Response;
  }
    ? (request: Request, options?: CallOptions) => Promise<Response>
    : never;
};

/** A service's methods as promises that reject with MealplanError, over one channel. */
export type PromiseClient<Definition> = UnaryMethods<Definition> & {
  /** The grpc-js client underneath, e.g. for waitForReady or getChannel().getConnectivityState(). */
  readonly grpcClient: Client;
  close(): void;
};

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Keepalive pings find a dead connection (a peer gone without a FIN) in about 40 s instead of the TCP timeout. */
const KEEPALIVE: ChannelOptions = { "grpc.keepalive_time_ms": 30_000, "grpc.keepalive_timeout_ms": 10_000 };

export function createPromiseClient<Definition extends ServiceDefinition>(
  definition: Definition,
  serviceName: string,
  target: string,
  options: ClientOptions = {},
): PromiseClient<Definition> {
  const { defaultTimeoutMs = DEFAULT_TIMEOUT_MS, serviceConfig = defaultServiceConfig(serviceName) } = options;
  const grpcClient = new Client(target, options.credentials ?? grpcCredentials.createInsecure(), {
    ...KEEPALIVE,
    "grpc.service_config": JSON.stringify(serviceConfig),
    // The config above is the service's; a DNS TXT record must not replace it.
    "grpc.service_config_disable_resolution": 1,
    ...options.channelOptions,
  });
  const methods: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(definition)) {
    methods[name] = (request: unknown, { deadline, signal, metadata }: CallOptions = {}) =>
      new Promise((resolve, reject) => {
        // An executor that throws rejects its promise: with the signal's reason, if it fired already.
        signal?.throwIfAborted();
        const call = grpcClient.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          metadata ?? new Metadata(),
          { deadline: deadline ?? Date.now() + defaultTimeoutMs },
          (error, response) => {
            signal?.removeEventListener("abort", cancel);
            if (error) reject(toMealplanError(error));
            else resolve(response);
          },
        );
        const cancel = () => call.cancel();
        signal?.addEventListener("abort", cancel, { once: true });
      });
  }
  return { ...methods, grpcClient, close: () => grpcClient.close() } as PromiseClient<Definition>;
}
