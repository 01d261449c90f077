import { createJsonLogger, type Logger } from "../../shared/logging/Logger.js";

export interface CapturedLogger {
  logger: Logger;
  lines: Record<string, unknown>[];
}

/** The services' real JSON logger, writing into memory so tests stay quiet and can read it. */
export function captureLogger(service: string): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  return {
    logger: createJsonLogger(service, { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    lines,
  };
}
