import { status } from "@grpc/grpc-js";
import type { RecordedError } from "./recordedError.js";

/** An OK answer that lacks what the contract says it carries; recorded as the server's fault. */
export class MalformedResponseError extends Error {
  constructor(problem: string) {
    super(`malformed response: ${problem}`);
    this.name = "MalformedResponseError";
  }

  toRecordedError(): RecordedError {
    return { code: status.INTERNAL, codeName: "INTERNAL", reason: "MALFORMED_RESPONSE", message: this.message };
  }
}
