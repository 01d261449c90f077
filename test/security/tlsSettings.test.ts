import { ChannelCredentials, ServerCredentials } from "@grpc/grpc-js";
import { expect } from "chai";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../../shared/config/ConfigError.js";
import type { Environment } from "../../shared/config/environmentParsers.js";
import {
  channelCredentials,
  isLoopbackAddress,
  readGoalsClientTlsSettings,
  readServerTlsSettings,
  serverCredentials,
} from "../../shared/security/tlsSettings.js";
import { makeTestCertificates, type TestCertificates } from "../harness/certificates.js";

function configErrorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("security: TLS settings", () => {
  let certs: TestCertificates;
  let serverEnv: Environment;

  before(async () => {
    certs = await makeTestCertificates();
    serverEnv = { TLS_CERT: certs.server.cert.path, TLS_KEY: certs.server.key.path };
  });
  after(() => certs.remove());

  it("serves and dials plaintext when nothing is set", () => {
    expect(readServerTlsSettings({})).to.equal(undefined);
    expect(readGoalsClientTlsSettings({})).to.equal(undefined);
    expect(serverCredentials(undefined)._isSecure()).to.equal(false);
    expect(channelCredentials(undefined)._isSecure()).to.equal(false);
  });

  it("reads a server certificate, its key and the client CA that turns on mTLS", () => {
    const settings = readServerTlsSettings({ ...serverEnv, TLS_CLIENT_CA: certs.ca.cert.path });
    expect(settings?.certChain.toString()).to.equal(certs.server.cert.pem);
    expect(settings?.privateKey.toString()).to.equal(certs.server.key.pem);
    expect(settings?.clientCa?.toString()).to.equal(certs.ca.cert.pem);
    expect(serverCredentials(settings)).to.be.instanceOf(ServerCredentials);
    expect(serverCredentials(settings)._isSecure()).to.equal(true);
    expect(readServerTlsSettings(serverEnv)?.clientCa).to.equal(undefined);
  });

  it("reads the meals service's credentials for goals: the CA alone, or with a client certificate", () => {
    expect(readGoalsClientTlsSettings({ GOALS_TLS_CA: certs.ca.cert.path })).to.deep.equal({
      ca: Buffer.from(certs.ca.cert.pem),
    });
    const settings = readGoalsClientTlsSettings({
      GOALS_TLS_CA: certs.ca.cert.path,
      GOALS_TLS_CERT: certs.meals.cert.path,
      GOALS_TLS_KEY: certs.meals.key.path,
    });
    expect(settings?.certChain?.toString()).to.equal(certs.meals.cert.pem);
    expect(channelCredentials(settings)).to.be.instanceOf(ChannelCredentials);
    expect(channelCredentials(settings)._isSecure()).to.equal(true);
  });

  it("names the variable and the file when a path cannot be read", () => {
    const missing = join(certs.dir, "missing.pem");
    const error = configErrorOf(() => readServerTlsSettings({ ...serverEnv, TLS_CERT: missing }));
    expect(error.variable).to.equal("TLS_CERT");
    expect(error.message).to.contain(missing).and.contain("ENOENT");
    expect(configErrorOf(() => readServerTlsSettings({ ...serverEnv, TLS_CLIENT_CA: certs.dir })).message).to.contain("EISDIR");
    expect(configErrorOf(() => readGoalsClientTlsSettings({ GOALS_TLS_CA: missing })).variable).to.equal("GOALS_TLS_CA");
  });

  it("names the key's variable when the key does not match the certificate", () => {
    const error = configErrorOf(() => readServerTlsSettings({ ...serverEnv, TLS_KEY: certs.strayKey.path }));
    expect(error.variable).to.equal("TLS_KEY");
    expect(error.message).to.contain("does not match the certificate in TLS_CERT").and.contain(certs.strayKey.path);
    const clientError = configErrorOf(() =>
      readGoalsClientTlsSettings({ GOALS_TLS_CERT: certs.meals.cert.path, GOALS_TLS_KEY: certs.admin.key.path }),
    );
    expect(clientError.variable).to.equal("GOALS_TLS_KEY");
  });

  it("refuses files that are not what the variable needs", async () => {
    const garbage = join(certs.dir, "garbage.pem");
    await writeFile(garbage, "not a PEM file\n");
    const brokenCertificate = join(certs.dir, "broken.crt");
    await writeFile(brokenCertificate, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    const cases: [Environment, string, string][] = [
      [{ ...serverEnv, TLS_CERT: garbage }, "TLS_CERT", "holds no PEM certificate"],
      [{ ...serverEnv, TLS_CERT: brokenCertificate }, "TLS_CERT", "is malformed"],
      [{ ...serverEnv, TLS_CERT: certs.server.key.path }, "TLS_CERT", "holds no PEM certificate"],
      [{ ...serverEnv, TLS_KEY: garbage }, "TLS_KEY", "not a readable PEM private key"],
      [{ ...serverEnv, TLS_KEY: certs.server.cert.path }, "TLS_KEY", "not a readable PEM private key"],
      [{ ...serverEnv, TLS_CLIENT_CA: garbage }, "TLS_CLIENT_CA", "holds no PEM certificate"],
    ];
    for (const [env, variable, problem] of cases) {
      const error = configErrorOf(() => readServerTlsSettings(env));
      expect(error.variable, problem).to.equal(variable);
      expect(error.message).to.contain(problem);
    }
  });

  it("wants a certificate and its key together, and TLS before a client CA", () => {
    expect(configErrorOf(() => readServerTlsSettings({ TLS_CERT: certs.server.cert.path })).variable).to.equal("TLS_KEY");
    expect(configErrorOf(() => readServerTlsSettings({ TLS_KEY: certs.server.key.path })).variable).to.equal("TLS_CERT");
    expect(configErrorOf(() => readServerTlsSettings({ TLS_CLIENT_CA: certs.ca.cert.path })).variable).to.equal("TLS_CLIENT_CA");
    expect(configErrorOf(() => readGoalsClientTlsSettings({ GOALS_TLS_KEY: certs.meals.key.path })).variable).to.equal(
      "GOALS_TLS_CERT",
    );
  });

  it("tells loopback addresses, where plaintext exposes nothing, from the others", () => {
    for (const address of ["127.0.0.1:50051", "127.3.2.1:1", "localhost:50051", "[::1]:50051", "[0:0:0:0:0:0:0:1]:9"]) {
      expect(isLoopbackAddress(address), address).to.equal(true);
    }
    for (const address of ["0.0.0.0:50051", "[::]:50051", "10.0.0.7:50051", "goals:50051", "[2001:db8::1]:1"]) {
      expect(isLoopbackAddress(address), address).to.equal(false);
    }
  });
});
