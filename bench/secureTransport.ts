import { ChannelCredentials } from "@grpc/grpc-js";
import type { ClientOptions } from "@mealplan/client";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { LoadTargets } from "./loadProtocol.js";

/** PEM files a load client presents when the services require mTLS (bench --secure). */
export interface ClientCertificateFiles {
  ca: string;
  cert: string;
  key: string;
}

const MAKE_DEV_CERTS = fileURLToPath(new URL("../../deploy/make-dev-certs.sh", import.meta.url));
const POLICY = fileURLToPath(new URL("../../deploy/policy.example.yaml", import.meta.url));

/**
 * The production-like configuration: the development certificates of
 * deploy/make-dev-certs.sh, mTLS and the example policy on both services,
 * meals calling goals with its own certificate, and metrics on. Returns each
 * service's extra environment and what the load clients connect with (admin).
 */
export async function secureServiceEnvironment(): Promise<{
  goals: Record<string, string>;
  meals: Record<string, string>;
  clients: ClientCertificateFiles;
}> {
  const dir = await mkdtemp(join(tmpdir(), "mealplan-bench-certs-"));
  await promisify(execFile)("sh", [MAKE_DEV_CERTS, dir]);
  const file = (name: string) => join(dir, name);
  const serving = (name: string) => ({
    TLS_CERT: file(`${name}.crt`),
    TLS_KEY: file(`${name}.key`),
    TLS_CLIENT_CA: file("ca.crt"),
    AUTHZ_POLICY: POLICY,
    METRICS_LISTEN: "127.0.0.1:0",
  });
  return {
    goals: serving("goals"),
    meals: {
      ...serving("meals"),
      GOALS_TLS_CA: file("ca.crt"),
      GOALS_TLS_CERT: file("meals.crt"),
      GOALS_TLS_KEY: file("meals.key"),
    },
    clients: { ca: file("ca.crt"), cert: file("admin.crt"), key: file("admin.key") },
  };
}

/** How a load client reaches a service: plaintext, or mTLS as admin when the targets carry certificates. */
export function serviceClientOptions(targets: LoadTargets): ClientOptions {
  if (targets.clientCertificates === undefined) return {};
  const { ca, cert, key } = targets.clientCertificates;
  return {
    credentials: ChannelCredentials.createSsl(readFileSync(ca), readFileSync(key), readFileSync(cert)),
    // The targets are 127.0.0.1:port; the certificates name localhost, and a TLS server name may not be an IP address.
    channelOptions: { "grpc.ssl_target_name_override": "localhost" },
  };
}
