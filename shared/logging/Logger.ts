export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** One JSON object per line, the shape log shippers expect. */
export function createJsonLogger(service: string, write: (line: string) => void): Logger {
  const log = (level: string, event: string, fields: LogFields = {}) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, service, event, ...fields })}\n`);
  return {
    info: (event, fields) => log("info", event, fields),
    error: (event, fields) => log("error", event, fields),
  };
}
