import {
  Client,
  Server,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type ServiceError,
} from "@grpc/grpc-js";
import { expect } from "chai";
import { callerIdentity } from "../../shared/security/callerIdentity.js";
import {
  channelCredentials,
  readGoalsClientTlsSettings,
  readServerTlsSettings,
  serverCredentials,
} from "../../shared/security/tlsSettings.js";
import { makeTestCertificates, type KeyPair, type TestCertificates } from "../harness/certificates.js";

const WHO_AM_I = "/test.Identity/WhoAmI";
const asIs = (buffer: Buffer) => buffer;

/** A service that answers each call with the identity the server sees, or "(none)". */
const identityService: ServiceDefinition = {
  WhoAmI: {
    path: WHO_AM_I,
    requestStream: false,
    responseStream: false,
    requestSerialize: asIs,
    requestDeserialize: asIs,
    responseSerialize: asIs,
    responseDeserialize: asIs,
  },
};

async function startIdentityServer(
  certs: TestCertificates,
  clientCa: string | undefined,
): Promise<{ port: number; server: Server }> {
  const settings = readServerTlsSettings({
    TLS_CERT: certs.server.cert.path,
    TLS_KEY: certs.server.key.path,
    TLS_CLIENT_CA: clientCa,
  });
  const server = new Server();
  server.addService(identityService, {
    WhoAmI: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) =>
      callback(null, Buffer.from(callerIdentity(call.getAuthContext()) ?? "(none)")),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", serverCredentials(settings), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  return { port, server };
}

/** Calls WhoAmI as a client trusting `ca` and presenting `client`'s certificate, if any. */
async function whoAmI(port: number, ca: KeyPair, client?: KeyPair): Promise<string> {
  const settings = readGoalsClientTlsSettings({
    GOALS_TLS_CA: ca.cert.path,
    GOALS_TLS_CERT: client?.cert.path,
    GOALS_TLS_KEY: client?.key.path,
  });
  const grpcClient = new Client(`localhost:${port}`, channelCredentials(settings));
  try {
    const reply = await new Promise<Buffer>((resolve, reject) =>
      grpcClient.makeUnaryRequest(WHO_AM_I, asIs, asIs, Buffer.alloc(0), { deadline: Date.now() + 5000 }, (error, value) =>
        error ? reject(error) : resolve(value as Buffer),
      ),
    );
    return reply.toString();
  } finally {
    grpcClient.close();
  }
}

async function refusal(call: Promise<unknown>): Promise<ServiceError> {
  const outcome = await call.then(
    () => undefined,
    (error: ServiceError) => error,
  );
  if (outcome === undefined) throw new Error("the call was expected to fail");
  return outcome;
}

describe("security: caller identity over a real TLS connection", () => {
  let certs: TestCertificates;

  before(async () => {
    certs = await makeTestCertificates();
  });
  after(() => certs.remove());

  describe("with mTLS (a client CA)", () => {
    let port: number;
    let server: Server;

    before(async () => ({ port, server } = await startIdentityServer(certs, certs.ca.cert.path)));
    after(() => server.forceShutdown());

    it("is the SPIFFE ID of a certificate's URI SAN", async () => {
      expect(await whoAmI(port, certs.ca, certs.meals)).to.equal("spiffe://mealplan.example/meals");
      expect(await whoAmI(port, certs.ca, certs.admin)).to.equal("spiffe://mealplan.example/admin");
    });

    it("is the subject CN of a certificate without a SPIFFE ID", async () => {
      expect(await whoAmI(port, certs.ca, certs.cnOnly)).to.equal("cn-only-caller");
    });

    it("refuses a caller without a certificate at the handshake", async () => {
      expect((await refusal(whoAmI(port, certs.ca))).code).to.equal(status.UNAVAILABLE);
    });

    it("refuses a certificate from another CA, whatever identity it claims", async () => {
      expect((await refusal(whoAmI(port, certs.ca, certs.otherCaMeals))).code).to.equal(status.UNAVAILABLE);
    });

    it("leaves a client that does not trust the server's CA unconnected", async () => {
      expect((await refusal(whoAmI(port, certs.otherCa, certs.meals))).code).to.equal(status.UNAVAILABLE);
    });
  });

  describe("with TLS and no client CA", () => {
    let port: number;
    let server: Server;

    before(async () => ({ port, server } = await startIdentityServer(certs, undefined)));
    after(() => server.forceShutdown());

    it("has no identity: the server asks for no certificate", async () => {
      expect(await whoAmI(port, certs.ca, certs.meals)).to.equal("(none)");
    });
  });

  it("has no identity without TLS", () => {
    expect(callerIdentity({ transportSecurityType: undefined })).to.equal(undefined);
    expect(callerIdentity(null)).to.equal(undefined);
  });
});
