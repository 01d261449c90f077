import type { MysqlNodes } from "../database/NodeRouter.js";
import { ConfigError } from "./ConfigError.js";

export type Environment = Record<string, string | undefined>;

export interface MysqlServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

const DEFAULT_MYSQL_URL = "mysql://root@127.0.0.1:3306";

function parseMysqlUrl(variable: string, value: string, whole: string): MysqlServerAddress {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `"${whole}" is not a URL like mysql://user:password@host:3306[,host2:3306,...]`);
  }
  if (url.protocol !== "mysql:") {
    throw new ConfigError(variable, `"${whole}" must start with mysql://`);
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

/**
 * MYSQL_URL: one server, mysql://user:password@host:3306, or the nodes of a
 * Galera cluster, mysql://user:password@h1:3306,h2:3306,h3:3306, in the order
 * the service should prefer them (shared/database/NodeRouter.ts).
 */
export function readMysqlNodes(env: Environment, variable = "MYSQL_URL"): MysqlNodes {
  const value = env[variable] ?? DEFAULT_MYSQL_URL;
  // Everything between "//" (and "user@") and the first "/" is the host list; each host is parsed as a URL of its own.
  const match = /^([^:/]*:\/\/)([^@/]*@)?([^/]*)(.*)$/.exec(value);
  if (!match) throw new ConfigError(variable, `"${value}" is not a URL like mysql://user:password@host:3306[,host2:3306,...]`);
  const [, scheme, userinfo = "", hosts, rest] = match;
  const servers = hosts.split(",").map((host) => {
    if (host === "") throw new ConfigError(variable, `"${value}" has an empty host in its list`);
    return parseMysqlUrl(variable, `${scheme}${userinfo}${host}${rest}`, value);
  });
  const nodes = servers.map(({ host, port }) => ({ host, port }));
  const names = nodes.map(({ host, port }) => `${host}:${port}`);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new ConfigError(variable, `"${value}" names ${repeated} twice`);
  return { nodes, user: servers[0].user, password: servers[0].password };
}

/** The first (preferred) server of MYSQL_URL, for tools that need one connection. */
export function readMysqlUrl(env: Environment, variable = "MYSQL_URL"): MysqlServerAddress {
  const { nodes, user, password } = readMysqlNodes(env, variable);
  return { ...nodes[0], user, password };
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

export function readIntegerInRange(env: Environment, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(variable, `"${raw}" must be an integer from ${min} to ${max}`);
  }
  return value;
}
