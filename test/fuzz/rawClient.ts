import { Client, credentials, Metadata, status, type ServiceError } from "@grpc/grpc-js";

/** What came back for one raw call: the code, the message, the size of the details trailer and the body. */
export interface CallOutcome {
  code: status;
  message: string;
  /** Bytes of the grpc-status-details-bin trailer; 0 when absent. */
  detailsBytes: number;
  details?: Buffer;
  response?: Buffer;
}

const identity = (bytes: Buffer) => bytes;

/**
 * One connection to a service that sends and receives bodies as bytes, so that the fuzzer can send what no
 * generated client would, and every call of a test shares it: a request that hurts the connection hurts them all.
 */
export class RawClient {
  private readonly client: Client;

  constructor(address: string) {
    this.client = new Client(address, credentials.createInsecure());
  }

  call(path: string, body: Uint8Array, timeoutMs = 10_000): Promise<CallOutcome> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        path,
        identity,
        identity,
        Buffer.from(body),
        new Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error: ServiceError | null, response?: Buffer) => {
          if (!error) {
            resolve({ code: status.OK, message: "", detailsBytes: 0, response });
            return;
          }
          const [details] = error.metadata?.get("grpc-status-details-bin") ?? [];
          const detailsBuffer = details instanceof Buffer ? details : undefined;
          resolve({
            code: error.code,
            message: error.details ?? "",
            detailsBytes: detailsBuffer?.length ?? 0,
            details: detailsBuffer,
          });
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/** grpc.health.v1.HealthCheckResponse{status: SERVING}, field 1 = 1. */
const SERVING = Buffer.from([0x08, 0x01]);

export async function isServing(client: RawClient): Promise<boolean> {
  const outcome = await client.call("/grpc.health.v1.Health/Check", new Uint8Array(), 5000);
  return outcome.code === status.OK && outcome.response !== undefined && outcome.response.equals(SERVING);
}
