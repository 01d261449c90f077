import { ChannelCredentials, ServerCredentials } from "@grpc/grpc-js";
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { BlockList, isIP } from "node:net";
import { ConfigError } from "../config/ConfigError.js";
import type { Environment } from "../config/environmentParsers.js";

/** A server's certificate and key; with clientCa, callers must present a certificate that chains to it (mTLS). */
export interface ServerTlsSettings {
  certChain: Buffer;
  privateKey: Buffer;
  clientCa?: Buffer;
}

/** How a client checks the server (ca; the system roots when absent) and proves who it is (certChain and privateKey). */
export interface ClientTlsSettings {
  ca?: Buffer;
  certChain?: Buffer;
  privateKey?: Buffer;
}

export const SERVER_TLS_HELP = `  TLS_CERT             PEM certificate chain to serve TLS with (with TLS_KEY; unset: plaintext)
  TLS_KEY              PEM private key of TLS_CERT
  TLS_CLIENT_CA        PEM CA bundle: callers must present a certificate it signed (mTLS)`;

export const GOALS_CLIENT_TLS_HELP = `  GOALS_TLS_CA         PEM CA bundle that signed the goals service's certificate (any GOALS_TLS_*: TLS to goals)
  GOALS_TLS_CERT       PEM certificate chain the meals service presents to goals (with GOALS_TLS_KEY)
  GOALS_TLS_KEY        PEM private key of GOALS_TLS_CERT`;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readPemFile(env: Environment, variable: string): { path: string; pem: Buffer } | undefined {
  const path = env[variable];
  if (path === undefined || path === "") return undefined;
  try {
    return { path, pem: readFileSync(path) };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(variable, `cannot read "${path}" (${reason})`);
  }
}

/** Every certificate of a PEM file (a chain or a CA bundle), the first being the leaf of a chain. */
function parseCertificates(variable: string, path: string, pem: Buffer): X509Certificate[] {
  const blocks = pem.toString("utf8").match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ConfigError(variable, `"${path}" holds no PEM certificate`);
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new ConfigError(variable, `certificate ${index + 1} of "${path}" is malformed`);
    }
  });
}

function parsePrivateKey(variable: string, path: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new ConfigError(variable, `"${path}" is not a readable PEM private key (encrypted keys are not supported)`);
  }
}

/** Reads a certificate chain and its key, both or neither, and checks that they belong together and are in date. */
function readKeyPair(
  env: Environment,
  certVariable: string,
  keyVariable: string,
): { certChain: Buffer; privateKey: Buffer } | undefined {
  const cert = readPemFile(env, certVariable);
  const key = readPemFile(env, keyVariable);
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined) throw new ConfigError(certVariable, `must be set with ${keyVariable}`);
  if (key === undefined) throw new ConfigError(keyVariable, `must be set with ${certVariable}`);
  const [leaf] = parseCertificates(certVariable, cert.path, cert.pem);
  const privateKey = parsePrivateKey(keyVariable, key.path, key.pem);
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new ConfigError(keyVariable, `"${key.path}" does not match the certificate in ${certVariable} ("${cert.path}")`);
  }
  const now = Date.now();
  if (now > Date.parse(leaf.validTo)) throw new ConfigError(certVariable, `"${cert.path}" expired on ${leaf.validTo}`);
  if (now < Date.parse(leaf.validFrom))
    throw new ConfigError(certVariable, `"${cert.path}" is not valid before ${leaf.validFrom}`);
  return { certChain: cert.pem, privateKey: key.pem };
}

function readCaBundle(env: Environment, variable: string): Buffer | undefined {
  const bundle = readPemFile(env, variable);
  if (bundle === undefined) return undefined;
  parseCertificates(variable, bundle.path, bundle.pem);
  return bundle.pem;
}

/** TLS_CERT, TLS_KEY and TLS_CLIENT_CA; undefined when the server is to serve plaintext. */
export function readServerTlsSettings(env: Environment): ServerTlsSettings | undefined {
  const keyPair = readKeyPair(env, "TLS_CERT", "TLS_KEY");
  const clientCa = readCaBundle(env, "TLS_CLIENT_CA");
  if (keyPair === undefined) {
    if (clientCa !== undefined) throw new ConfigError("TLS_CLIENT_CA", "needs TLS_CERT and TLS_KEY: mTLS is TLS first");
    return undefined;
  }
  return { ...keyPair, clientCa };
}

/** GOALS_TLS_CA, GOALS_TLS_CERT and GOALS_TLS_KEY; undefined when the meals service calls goals in plaintext. */
export function readGoalsClientTlsSettings(env: Environment): ClientTlsSettings | undefined {
  const ca = readCaBundle(env, "GOALS_TLS_CA");
  const keyPair = readKeyPair(env, "GOALS_TLS_CERT", "GOALS_TLS_KEY");
  if (ca === undefined && keyPair === undefined) return undefined;
  return { ca, ...keyPair };
}

export function serverCredentials(settings: ServerTlsSettings | undefined): ServerCredentials {
  if (settings === undefined) return ServerCredentials.createInsecure();
  const { certChain, privateKey, clientCa } = settings;
  // checkClientCertificate makes the handshake refuse a caller without a certificate signed by clientCa,
  // which is what makes the certificate's identity (callerIdentity) trustworthy.
  return ServerCredentials.createSsl(
    clientCa ?? null,
    [{ cert_chain: certChain, private_key: privateKey }],
    clientCa !== undefined,
  );
}

export function channelCredentials(settings: ClientTlsSettings | undefined): ChannelCredentials {
  if (settings === undefined) return ChannelCredentials.createInsecure();
  const { ca, privateKey, certChain } = settings;
  return ChannelCredentials.createSsl(ca ?? null, privateKey ?? null, certChain ?? null);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** Whether a host:port only accepts connections from this machine, where plaintext exposes nothing. */
export function isLoopbackAddress(hostPort: string): boolean {
  const host = hostPort.slice(0, hostPort.lastIndexOf(":")).replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost") return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? "ipv4" : "ipv6");
}
