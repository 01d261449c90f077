import type { SpanExporter } from "@opentelemetry/sdk-trace";
import { register } from "node:module";
import type { Environment } from "../config/environmentParsers.js";

/** Packages the instrumentations patch; the ESM loader hook wraps only these, every other module loads untouched. */
const INSTRUMENTED_MODULES = ["@grpc/grpc-js", "mysql2", "mysql2/promise"];

export const TRACING_HELP = `  OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME,
  OTEL_TRACES_SAMPLER, OTEL_SDK_DISABLED, ... (OpenTelemetry's own variables): traces of gRPC calls and SQL
                       statements, when node runs with --import ./dist/shared/observability/registerTracing.js
                       and OTEL_TRACES_EXPORTER or an OTLP endpoint is set`;

/**
 * Whether the OTEL_* variables ask for traces: an exporter or an OTLP
 * endpoint is named, and the SDK is not disabled. Without them no part of the
 * SDK is loaded, so a service that is not traced pays nothing for it.
 */
export function tracingRequested(env: Environment): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (exporters.includes("none")) return false;
  return exporters.length > 0 || [env.OTEL_EXPORTER_OTLP_ENDPOINT, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT].some(Boolean);
}

/**
 * Instrumentations patch a module when it is loaded. grpc-js is CommonJS, but
 * the services import it from ES modules, which require-in-the-middle never
 * sees: the import-in-the-middle loader hook must be registered before the
 * first import of grpc-js or mysql2, hence `node --import`.
 */
export function registerInstrumentationLoader(): void {
  // Resolved from the gRPC instrumentation so that the hook is the copy of import-in-the-middle its Hook talks to.
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.resolve("@opentelemetry/instrumentation-grpc"), {
    data: { include: INSTRUMENTED_MODULES },
  });
}

export interface TracingOptions {
  /** Where spans go, one by one as they end (e.g. an InMemorySpanExporter in a test); by default OTEL_TRACES_EXPORTER's. */
  spanExporter?: SpanExporter;
}

let runningSdk: { shutdown(): Promise<void> } | undefined;

/**
 * Starts the OpenTelemetry SDK, configured by the OTEL_* variables, with the
 * gRPC and mysql2 instrumentations; traces only (metrics go to Prometheus,
 * logs to stdout). Only modules loaded afterwards are traced: call
 * registerInstrumentationLoader() and this before importing grpc-js or mysql2.
 */
export async function startTracing({ spanExporter }: TracingOptions = {}): Promise<void> {
  // Loaded here rather than at the top so that importing this module (for stopTracing) costs an untraced service nothing.
  const [{ NodeSDK }, { SimpleSpanProcessor }, { GrpcInstrumentation }, { MySQL2Instrumentation }] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/instrumentation-grpc"),
    import("@opentelemetry/instrumentation-mysql2"),
  ]);
  const sdk = new NodeSDK({
    instrumentations: [new GrpcInstrumentation(), new MySQL2Instrumentation()],
    spanProcessors: spanExporter && [new SimpleSpanProcessor({ exporter: spanExporter })],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  runningSdk = sdk;
}

/** Exports the spans still queued and stops the SDK; nothing to do when tracing never started. Call before process.exit. */
export async function stopTracing(): Promise<void> {
  const sdk = runningSdk;
  runningSdk = undefined;
  await sdk?.shutdown();
}
