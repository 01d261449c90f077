import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A PEM file on disk and its text, for settings that take paths and APIs that take buffers. */
export interface PemFile {
  path: string;
  pem: string;
}

export interface KeyPair {
  cert: PemFile;
  key: PemFile;
}

export const SPIFFE_TRUST_DOMAIN = "spiffe://mealplan.example";

export interface TestCertificates {
  dir: string;
  ca: KeyPair;
  /** For 127.0.0.1 and localhost, signed by ca. */
  server: KeyPair;
  /** Signed by ca; each has the SPIFFE URI SAN `spiffe://mealplan.example/<name>` and the subject CN `<name>`. */
  meals: KeyPair;
  reporting: KeyPair;
  admin: KeyPair;
  unknownCaller: KeyPair;
  /** Signed by ca, subject CN `cn-only-caller` and no subject alternative name. */
  cnOnly: KeyPair;
  /** An unrelated CA and a client of its own with the same SPIFFE id as meals: a server trusting ca must refuse it. */
  otherCa: KeyPair;
  otherCaMeals: KeyPair;
  /** A valid key that belongs to no certificate here. */
  strayKey: PemFile;
  remove(): Promise<void>;
}

const P256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/**
 * Makes a CA, a server certificate and client certificates in a temporary
 * directory with openssl (EC P-256: about 10 ms a certificate). Valid for two
 * days, so a run near midnight does not trip over clock skew.
 */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), "mealplan-certs-"));
  const paths = (name: string) => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) });
  const read = async (name: string): Promise<KeyPair> => {
    const { cert, key } = paths(name);
    return { cert: { path: cert, pem: await readFile(cert, "utf8") }, key: { path: key, pem: await readFile(key, "utf8") } };
  };

  const makeCa = async (name: string, commonName: string) => {
    const { cert, key } = paths(name);
    await run("openssl", [
      ...["req", "-x509", "-new", ...P256, "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${commonName}`],
      ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ]);
  };
  const makeLeaf = async (name: string, ca: string, commonName: string, extensions: string[]) => {
    const { cert, key } = paths(name);
    const extensionFile = join(dir, `${name}.ext`);
    await writeFile(extensionFile, ["basicConstraints=critical,CA:FALSE", ...extensions].join("\n"));
    const csr = join(dir, `${name}.csr`);
    await run("openssl", ["req", "-new", ...P256, "-keyout", key, "-out", csr, "-subj", `/CN=${commonName}`]);
    await run("openssl", [
      ...["x509", "-req", "-in", csr, "-CA", paths(ca).cert, "-CAkey", paths(ca).key],
      // A serial of our own: -CAcreateserial shares one serial file among the certificates made in parallel.
      ...["-set_serial", `0x${randomBytes(8).toString("hex")}`],
      ...["-days", "2", "-out", cert, "-extfile", extensionFile],
    ]);
  };
  const client = (name: string, ca = "ca") =>
    makeLeaf(name, ca, name, [`subjectAltName=URI:${SPIFFE_TRUST_DOMAIN}/${name}`, "extendedKeyUsage=clientAuth"]);

  await Promise.all([makeCa("ca", "mealplan test CA"), makeCa("other-ca", "unrelated test CA")]);
  await Promise.all([
    makeLeaf("server", "ca", "localhost", ["subjectAltName=DNS:localhost,IP:127.0.0.1", "extendedKeyUsage=serverAuth"]),
    client("meals"),
    client("reporting"),
    client("admin"),
    client("unknown-caller"),
    makeLeaf("cn-only", "ca", "cn-only-caller", ["extendedKeyUsage=clientAuth"]),
    makeLeaf("other-ca-meals", "other-ca", "meals", [
      `subjectAltName=URI:${SPIFFE_TRUST_DOMAIN}/meals`,
      "extendedKeyUsage=clientAuth",
    ]),
    run("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", join(dir, "stray.key")]),
  ]);

  return {
    dir,
    ca: await read("ca"),
    server: await read("server"),
    meals: await read("meals"),
    reporting: await read("reporting"),
    admin: await read("admin"),
    unknownCaller: await read("unknown-caller"),
    cnOnly: await read("cn-only"),
    otherCa: await read("other-ca"),
    otherCaMeals: await read("other-ca-meals"),
    strayKey: { path: join(dir, "stray.key"), pem: await readFile(join(dir, "stray.key"), "utf8") },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
