import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { tracingRequested } from "../../shared/observability/tracing.js";
import { startOtlpReceiver, type TracedSpan } from "../harness/otlpReceiver.js";

const REGISTER_TRACING = fileURLToPath(new URL("../../shared/observability/registerTracing.js", import.meta.url));
const TRACED_CALL_AND_QUERY = fileURLToPath(new URL("./fixtures/tracedCallAndQuery.js", import.meta.url));

/** The environment of this process without its OTEL_* variables, so that only a test's own reach the child. */
function environmentWithoutOtel(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("OTEL_")));
}

async function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>[]> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { env, timeout: 30000 });
  return stdout
    .trimEnd()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The call's three spans, checked to be one trace: client → server → SQL statement; and the handler's log line in it. */
function expectOneTrace(spans: TracedSpan[], logLines: Record<string, unknown>[]): void {
  const client = spans.find((span) => span.kind === "client" && span.name === "grpc.test.Traced/Call");
  const server = spans.find((span) => span.kind === "server" && span.name === "grpc.test.Traced/Call");
  const query = spans.find((span) => span.attributes["db.system"] === "mysql" || span.attributes["db.system.name"] === "mysql");
  expect(client, "gRPC client span").to.not.equal(undefined);
  expect(server, "gRPC server span").to.not.equal(undefined);
  expect(query, "mysql2 span").to.not.equal(undefined);
  expect(query!.kind).to.equal("client");
  expect(client!.parentSpanId, "the client call is the root").to.equal(undefined);
  expect(server!.parentSpanId, "the server span continues the client's, through the propagated trace context").to.equal(
    client!.spanId,
  );
  expect(query!.parentSpanId, "the statement runs inside the server call").to.equal(server!.spanId);
  expect(new Set([client!.traceId, server!.traceId, query!.traceId]).size).to.equal(1);

  const callLine = logLines.find((line) => line.event === "call");
  expect(callLine, "a line logged inside the handler").to.include({ trace_id: server!.traceId, span_id: server!.spanId });
}

describe("observability: tracing", () => {
  it("is requested by an exporter or an OTLP endpoint, unless disabled", () => {
    expect(tracingRequested({})).to.equal(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: "goals" }), "a name alone exports nothing").to.equal(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: "otlp" })).to.equal(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: "console, otlp" })).to.equal(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).to.equal(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" })).to.equal(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })).to.equal(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" })).to.equal(false);
  });

  it("traces a gRPC call and its SQL statement as one trace, exported over OTLP, when node runs with --import registerTracing.js", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const logLines = await runNode(["--import", REGISTER_TRACING, TRACED_CALL_AND_QUERY], {
        ...environmentWithoutOtel(),
        OTEL_SERVICE_NAME: "traced-test",
        OTEL_TRACES_EXPORTER: "otlp",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      });
      expectOneTrace(receiver.spans, logLines);
      expect(new Set(receiver.spans.map((span) => span.service))).to.deep.equal(new Set(["traced-test"]));
    } finally {
      await receiver.stop();
    }
  });

  it("traces into an exporter of the caller's own with startTracing({ spanExporter })", async () => {
    const logLines = await runNode([TRACED_CALL_AND_QUERY], { ...environmentWithoutOtel(), TRACE_IN_MEMORY: "1" });
    const spansLine = logLines.find((line) => line.event === "spans");
    expectOneTrace(JSON.parse(String(spansLine?.spans)) as TracedSpan[], logLines);
  });

  for (const [description, otel] of [
    ["without OTEL_* variables", {}],
    ["with OTEL_SDK_DISABLED=true", { OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "console" }],
  ] as const) {
    it(`loads nothing of OpenTelemetry ${description}, although node runs with --import registerTracing.js`, async () => {
      // The OpenTelemetry API keeps what an SDK registers (tracer provider, context manager, propagator) in this global.
      const program = `import "@grpc/grpc-js";
        const registered = globalThis[Symbol.for("opentelemetry.js.api.1")];
        console.log(JSON.stringify({ event: "registered", names: Object.keys(registered ?? {}) }));`;
      const [line] = await runNode(["--import", REGISTER_TRACING, "--input-type=module", "-e", program], {
        ...environmentWithoutOtel(),
        ...otel,
      });
      expect(line).to.deep.equal({ event: "registered", names: [] });
    });
  }
});
