import { isSpanContextValid, trace } from "@opentelemetry/api";
import { pino, stdTimeFunctions, type DestinationStream } from "pino";

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Where log lines go: pino calls write once per line, a JSON object and a newline. */
export type LogDestination = DestinationStream;

/** The ids of the span a line is logged in, so a log line leads to its trace; nothing when tracing is off. */
function activeSpanIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * One JSON object per line, the shape log shippers expect: time (ISO 8601),
 * level as a word, service, event, the call's fields, and trace_id and span_id
 * inside a traced call.
 */
export function createJsonLogger(service: string, destination: LogDestination): Logger {
  const logger = pino(
    {
      base: { service },
      messageKey: "event",
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: activeSpanIds,
    },
    destination,
  );
  return {
    info: (event, fields = {}) => logger.info(fields, event),
    warn: (event, fields = {}) => logger.warn(fields, event),
    error: (event, fields = {}) => logger.error(fields, event),
  };
}
