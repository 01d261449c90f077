import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawnService } from "../../tools/spawnService.js";
import { makeTestCertificates, type TestCertificates } from "../harness/certificates.js";
import { startService } from "./startService.js";

/** The process's stderr and exit code when it refuses to start (spawnService rejects with both). */
async function refusal(name: "goals" | "meals", env: Record<string, string>): Promise<string> {
  try {
    const started = await spawnService(name, { GOALS_LISTEN: "127.0.0.1:0", MEALS_LISTEN: "127.0.0.1:0", ...env });
    started.child.kill("SIGKILL");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${name} started with ${JSON.stringify(env)}`);
}

describe("security: TLS settings at start", function () {
  this.timeout(60000);
  let certs: TestCertificates;
  let policyPath: string;
  before(async () => {
    certs = await makeTestCertificates();
    policyPath = join(certs.dir, "policy.yaml");
    await writeFile(policyPath, "callers: []\n");
  });
  after(() => certs.remove());

  const cases: [string, "goals" | "meals", () => Record<string, string>, RegExp][] = [
    [
      "a TLS_CERT that does not exist",
      "goals",
      () => ({ TLS_CERT: "/nonexistent.crt", TLS_KEY: certs.server.key.path }),
      /TLS_CERT: cannot read "\/nonexistent.crt" \(ENOENT\)/,
    ],
    [
      "a TLS_KEY that does not match TLS_CERT",
      "goals",
      () => ({ TLS_CERT: certs.server.cert.path, TLS_KEY: certs.strayKey.path }),
      /TLS_KEY: .* does not match the certificate in TLS_CERT/,
    ],
    [
      "a TLS_CLIENT_CA that is not a certificate",
      "meals",
      () => ({ TLS_CERT: certs.server.cert.path, TLS_KEY: certs.server.key.path, TLS_CLIENT_CA: certs.server.key.path }),
      /TLS_CLIENT_CA: .* holds no PEM certificate/,
    ],
    [
      "AUTHZ_POLICY without TLS_CLIENT_CA",
      "goals",
      () => ({ TLS_CERT: certs.server.cert.path, TLS_KEY: certs.server.key.path, AUTHZ_POLICY: policyPath }),
      /AUTHZ_POLICY: needs TLS_CLIENT_CA/,
    ],
    ["AUTHZ_POLICY in plaintext", "meals", () => ({ AUTHZ_POLICY: policyPath }), /AUTHZ_POLICY: needs TLS_CLIENT_CA/],
    [
      "GOALS_TLS_CERT without GOALS_TLS_KEY",
      "meals",
      () => ({ GOALS_TLS_CA: certs.ca.cert.path, GOALS_TLS_CERT: certs.meals.cert.path }),
      /GOALS_TLS_KEY: must be set with GOALS_TLS_CERT/,
    ],
    [
      "a GOALS_TLS_KEY of another certificate",
      "meals",
      () => ({ GOALS_TLS_CERT: certs.meals.cert.path, GOALS_TLS_KEY: certs.admin.key.path }),
      /GOALS_TLS_KEY: .* does not match/,
    ],
    [
      "a METRICS_LISTEN that is not host:port",
      "goals",
      () => ({ METRICS_LISTEN: "9464" }),
      /METRICS_LISTEN: "9464" must be host:port/,
    ],
  ];
  for (const [description, name, env, message] of cases) {
    it(`${name} exits 2 naming the variable on ${description}`, async () => {
      const failure = await refusal(name, env());
      expect(failure).to.match(/exited with 2 before listening: configuration error: /);
      expect(failure).to.match(message);
    });
  }

  for (const [name, variables] of [
    ["goals", []],
    ["meals", ["GOALS_TLS_CA", "GOALS_TLS_CERT", "GOALS_TLS_KEY"]],
  ] as const) {
    it(`${name} --help lists the TLS, policy, metrics and tracing variables`, async () => {
      const main = fileURLToPath(new URL(`../../services/${name}/main.js`, import.meta.url));
      const { stdout } = await promisify(execFile)(process.execPath, [main, "--help"]);
      const listed = stdout.split("\n").map((line) => line.trim().split(/[\s,]+/)[0]);
      for (const variable of [
        "TLS_CERT",
        "TLS_KEY",
        "TLS_CLIENT_CA",
        "AUTHZ_POLICY",
        "METRICS_LISTEN",
        "OTEL_TRACES_EXPORTER",
        ...variables,
      ]) {
        expect(listed, variable).to.include(variable);
      }
    });
  }

  it("warns when serving plaintext on a non-loopback address, and not on loopback or with TLS", async () => {
    const warning = (logs: Record<string, unknown>[]) =>
      logs.filter((line) => line.level === "warn" && String(line.event).startsWith("serving plaintext"));
    const exposed = await startService("goals", { GOALS_LISTEN: "0.0.0.0:0" });
    const loopback = await startService("goals", {});
    const encrypted = await startService("goals", {
      GOALS_LISTEN: "0.0.0.0:0",
      TLS_CERT: certs.server.cert.path,
      TLS_KEY: certs.server.key.path,
    });
    try {
      expect(warning(exposed.logs)).to.have.length(1);
      expect(warning(exposed.logs)[0]).to.include({ address: "0.0.0.0:0" });
      expect(warning(loopback.logs)).to.have.length(0);
      expect(warning(encrypted.logs)).to.have.length(0);
      expect(encrypted.logs.find((line) => line.event === "listening")).to.include({ tls: "tls" });
    } finally {
      await Promise.all([exposed.stop(), loopback.stop(), encrypted.stop()]);
    }
  });
});
