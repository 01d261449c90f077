import { ConfigError } from "../config/ConfigError.js";
import type { Environment } from "../config/environmentParsers.js";
import { METRICS_HELP, readMetricsListen } from "../observability/metricsServer.js";
import { TRACING_HELP } from "../observability/tracing.js";
import { ACCESS_POLICY_HELP, readAccessPolicy, type AccessPolicy } from "../security/accessPolicy.js";
import { readServerTlsSettings, SERVER_TLS_HELP, type ServerTlsSettings } from "../security/tlsSettings.js";

/** How a service serves, apart from what it serves: transport security, who may call what, and its metrics port. */
export interface ServingSettings {
  /** Undefined: plaintext. */
  tls: ServerTlsSettings | undefined;
  /** Undefined: any caller may call any method. */
  accessPolicy: AccessPolicy | undefined;
  /** Undefined: no metrics endpoint. */
  metricsListen: string | undefined;
}

export const SERVING_HELP = [SERVER_TLS_HELP, ACCESS_POLICY_HELP, METRICS_HELP, TRACING_HELP].join("\n");

/** TLS_*, AUTHZ_POLICY and METRICS_LISTEN, each file read and checked now, so that a bad one stops the start. */
export function readServingSettings(env: Environment): ServingSettings {
  const tls = readServerTlsSettings(env);
  const accessPolicy = readAccessPolicy(env);
  // Identities come from client certificates the handshake verified; without a client CA any caller could claim any name.
  if (accessPolicy !== undefined && tls?.clientCa === undefined) {
    throw new ConfigError("AUTHZ_POLICY", "needs TLS_CLIENT_CA: callers are identified by the client certificates it verifies");
  }
  return { tls, accessPolicy, metricsListen: readMetricsListen(env) };
}
