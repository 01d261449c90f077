import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type SpanKindName = "internal" | "server" | "client" | "producer" | "consumer";

/** A finished span, as much of it as tests look at. */
export interface TracedSpan {
  service: string;
  name: string;
  kind: SpanKindName;
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

/** OTLP numbers kinds from 1 (SPAN_KIND_INTERNAL); the OpenTelemetry API from 0. */
const OTLP_SPAN_KINDS: SpanKindName[] = ["internal", "internal", "server", "client", "producer", "consumer"];

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

interface OtlpTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: {
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

const attributesOf = (attributes: OtlpAttribute[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]));

export interface OtlpReceiver {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT, with OTEL_EXPORTER_OTLP_PROTOCOL=http/json. */
  endpoint: string;
  spans: TracedSpan[];
  stop(): Promise<void>;
}

/** A collector for tests: receives OTLP/HTTP JSON traces on a free loopback port and keeps their spans. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: TracedSpan[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      if (request.url === "/v1/traces") {
        for (const { resource, scopeSpans } of (JSON.parse(body) as OtlpTraceRequest).resourceSpans) {
          const service = String(attributesOf(resource.attributes)["service.name"]);
          for (const span of scopeSpans.flatMap((scope) => scope.spans)) {
            spans.push({
              service,
              name: span.name,
              kind: OTLP_SPAN_KINDS[span.kind],
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              attributes: attributesOf(span.attributes),
            });
          }
        }
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
