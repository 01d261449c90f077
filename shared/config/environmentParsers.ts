import { ConfigError } from "./ConfigError.js";

export type Environment = Record<string, string | undefined>;

export interface MysqlServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function readMysqlUrl(env: Environment, variable = "MYSQL_URL"): MysqlServerAddress {
  const value = env[variable] ?? "mysql://root@127.0.0.1:3306";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `"${value}" is not a URL like mysql://user:password@host:3306`);
  }
  if (url.protocol !== "mysql:") {
    throw new ConfigError(variable, `"${value}" must start with mysql://`);
  }
  if (url.pathname !== "" && url.pathname !== "/") {
    throw new ConfigError(variable, "must not name a database; each service names its own (GOALS_DB, MEALS_DB)");
  }
  return {
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username || "root"),
    password: decodeURIComponent(url.password),
  };
}

const DATABASE_NAME = /^[A-Za-z0-9_]{1,64}$/;

export function readDatabaseName(env: Environment, variable: string, fallback: string): string {
  const value = env[variable] ?? fallback;
  if (!DATABASE_NAME.test(value)) {
    throw new ConfigError(variable, `"${value}" must be 1-64 characters of A-Z, a-z, 0-9 and _`);
  }
  return value;
}

/** host:port as grpc-js binds or dials it; port 0 asks for a free port. */
export function readHostPort(env: Environment, variable: string, fallback: string): string {
  const value = env[variable] ?? fallback;
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535) {
    throw new ConfigError(variable, `"${value}" must be host:port, e.g. ${fallback}`);
  }
  return value;
}

/** Where a client dials: host:port, or a gRPC name such as dns:///goals.internal:50051 (every address it resolves to). */
export function readGrpcTarget(env: Environment, variable: string, fallback: string): string {
  const value = env[variable] ?? fallback;
  const hostPort = value.startsWith("dns:///") ? value.slice("dns:///".length) : value;
  readHostPort({ [variable]: hostPort }, variable, fallback);
  return value;
}

export function readPositiveInteger(env: Environment, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(variable, `"${raw}" must be a positive integer`);
  }
  return value;
}
