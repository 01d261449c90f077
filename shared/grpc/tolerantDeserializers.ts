import type { ServiceDefinition } from "@grpc/grpc-js";
import { invalidArgument } from "../errors/DomainError.js";
import { RequestTimestamps } from "./requestTimestamps.js";

/**
 * A request body that is not a valid message of the method's request type.
 * grpc-js would answer it with INTERNAL before any handler runs, and no
 * interceptor, log line or metric would see it.
 */
export class UndecodableRequest extends Error {
  constructor(requestType: string, byteLength: number) {
    super(`the request body (${byteLength} bytes) is not a valid ${requestType} message`);
    this.name = "UndecodableRequest";
  }
}

/**
 * A request refused while it was decoded (undecodable, or a Timestamp out of
 * its range): handed to the method like any request, so the call travels the
 * same path as every other (interceptors, log line, metrics), and serveUnary
 * answers with `reason` before the handler runs.
 */
export class RefusedRequest {
  constructor(readonly reason: Error) {}
}

/** The request type a ts-proto method decodes, named by its path for the message: e.g. GetGoal's request. */
const requestTypeOf = (path: string) => `${path.slice(path.lastIndexOf("/") + 1)}Request`;

let requestTimestamps: RequestTimestamps | undefined;

/** The definition with deserializers that never throw, and that read every request Timestamp exactly. */
export function withTolerantDeserializers<Definition extends ServiceDefinition>(definition: Definition): Definition {
  requestTimestamps ??= new RequestTimestamps();
  const timestamps = requestTimestamps;
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => {
      const readTimestamps = timestamps.readerFor(method.path);
      const undecodable = (bytes: Buffer) => new RefusedRequest(new UndecodableRequest(requestTypeOf(method.path), bytes.length));
      const requestDeserialize = (bytes: Buffer): unknown => {
        let decoded: Record<string, unknown>;
        try {
          decoded = method.requestDeserialize(bytes) as Record<string, unknown>;
        } catch {
          return undecodable(bytes);
        }
        if (!readTimestamps) return decoded;
        try {
          const violations = readTimestamps(bytes, decoded);
          return violations.length > 0 ? new RefusedRequest(invalidArgument(violations)) : decoded;
        } catch {
          return undecodable(bytes);
        }
      };
      return [name, { ...method, requestDeserialize }];
    }),
  ) as Definition;
}
