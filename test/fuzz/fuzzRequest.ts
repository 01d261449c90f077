import { toBinary, toJson, type DescMessage, type Message } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { FuzzedMethod } from "./descriptors.js";
import { messageArbitrary, type FieldHints } from "./messageArbitrary.js";
import { applyWireMutation, wireMutationArbitrary, type WireMutation } from "./wireMutations.js";

/** How a body was made: a generated message as a client would encode it, the same damaged on the wire, or random bytes. */
export type RequestOrigin = "message" | "mutated" | "raw";

export interface FuzzRequest {
  path: string;
  origin: RequestOrigin;
  body: Uint8Array;
  /** The generated message before any mutation; absent for random bytes. */
  message?: Message;
}

const PRINTED_STRING_LENGTH = 80;

/** JSON of the message with long strings shortened, so a counterexample fits on a screen. */
function shortJson(desc: DescMessage, message: Message): string {
  try {
    return JSON.stringify(toJson(desc, message as never, { alwaysEmitImplicit: false }), (_key, value: unknown) =>
      typeof value === "string" && value.length > PRINTED_STRING_LENGTH
        ? `${value.slice(0, 20)}…(${value.length} chars)…${value.slice(-10)}`
        : value,
    );
  } catch (error) {
    // A Timestamp outside its range has no JSON form.
    return `(no JSON: ${(error as Error).message})`;
  }
}

/**
 * fast-check prints this in a counterexample: the method, what the message was, and the exact body in base64,
 * which is all a regression test needs (see regressions.test.ts).
 */
function describe(request: FuzzRequest, desc: DescMessage): string {
  const body = Buffer.from(request.body);
  const base64 =
    body.length <= 4096
      ? body.toString("base64")
      : `(${body.length} bytes; first 1 KB) ${body.subarray(0, 1024).toString("base64")}`;
  const message = request.message ? ` ${shortJson(desc, request.message)}` : "";
  return `${request.path} [${request.origin}]${message} body=${base64}`;
}

function withDescription(request: FuzzRequest, desc: DescMessage): FuzzRequest {
  return Object.assign(request, { [fc.toStringMethod]: () => describe(request, desc) });
}

export function fuzzRequestArbitrary({ path, method }: FuzzedMethod, hints: FieldHints): fc.Arbitrary<FuzzRequest> {
  const input = method.input;
  const messages = messageArbitrary(input, hints);
  const encoded = messages.map((message): FuzzRequest => ({ path, origin: "message", body: toBinary(input, message), message }));
  const mutated = fc
    .tuple(messages, fc.array(wireMutationArbitrary(input), { minLength: 1, maxLength: 3 }))
    .map(([message, mutations]): FuzzRequest => ({
      path,
      origin: "mutated",
      body: mutations.reduce(
        (body: Uint8Array, mutation: WireMutation) => applyWireMutation(body, mutation),
        toBinary(input, message),
      ),
      message,
    }));
  const raw = fc
    .oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 2048 }))
    .map((body): FuzzRequest => ({ path, origin: "raw", body }));
  return fc
    .oneof({ arbitrary: encoded, weight: 6 }, { arbitrary: mutated, weight: 2 }, { arbitrary: raw, weight: 1 })
    .map((request) => withDescription(request, input));
}
