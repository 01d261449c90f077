import type { ServiceDefinition } from "@grpc/grpc-js";

/**
 * A request body that is not a valid message of the method's request type.
 * grpc-js would answer it with INTERNAL before any handler runs, and no
 * interceptor, log line or metric would see it; decoded as this instead, it
 * travels the same path as every other call and is answered there.
 */
export class UndecodableRequest extends Error {
  constructor(requestType: string, byteLength: number) {
    super(`the request body (${byteLength} bytes) is not a valid ${requestType} message`);
    this.name = "UndecodableRequest";
  }
}

/** The request type a ts-proto method decodes, named by its path for the message: e.g. GetGoal's request. */
const requestTypeOf = (path: string) => `${path.slice(path.lastIndexOf("/") + 1)}Request`;

/** The definition with deserializers that hand an UndecodableRequest to the handler instead of throwing. */
export function withTolerantDeserializers<Definition extends ServiceDefinition>(definition: Definition): Definition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      {
        ...method,
        requestDeserialize: (bytes: Buffer) => {
          try {
            return method.requestDeserialize(bytes) as unknown;
          } catch {
            return new UndecodableRequest(requestTypeOf(method.path), bytes.length);
          }
        },
      },
    ]),
  ) as Definition;
}
