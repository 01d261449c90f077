import type { DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";

/**
 * Changes to an encoded message that no well-behaved client makes: a field appended with any wire type
 * (invalid UTF-8 in a string field, a second value for a field seen once, an unknown or out-of-range field
 * number, a group, wire types 6 and 7), the body cut short, or a byte flipped.
 */
export type WireMutation =
  | { kind: "append"; fieldNumber: number; wireType: number; payload: Uint8Array; lengthLie: number }
  | { kind: "truncate"; keep: number }
  | { kind: "flip"; at: number; xor: number };

function varint(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  while (rest > 127n) {
    bytes.push(Number(rest & 127n) | 128);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

const badUtf8Payloads = [
  [0xff],
  [0xc0, 0x80], // an overlong NUL
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate written as UTF-8
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0x61, 0xe2, 0x82], // cut in the middle of a character
].map((bytes) => Uint8Array.from(bytes));

export function wireMutationArbitrary(desc: DescMessage): fc.Arbitrary<WireMutation> {
  const declaredNumbers = desc.fields.map((field) => field.number);
  const fieldNumber = fc.oneof(
    { arbitrary: fc.constantFrom(...declaredNumbers), weight: 4 },
    { arbitrary: fc.constantFrom(0, 19000, 2 ** 29 - 1, 2 ** 29), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 1000 }), weight: 1 },
  );
  const payload = fc.oneof(fc.constantFrom(...badUtf8Payloads), fc.uint8Array({ maxLength: 40 }));
  return fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant("append" as const),
        fieldNumber,
        wireType: fc.integer({ min: 0, max: 7 }),
        payload,
        lengthLie: fc.oneof(
          { arbitrary: fc.constant(0), weight: 4 },
          { arbitrary: fc.integer({ min: -5, max: 2 ** 20 }), weight: 1 },
        ),
      }),
      weight: 4,
    },
    { arbitrary: fc.record({ kind: fc.constant("truncate" as const), keep: fc.nat() }), weight: 1 },
    {
      arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
      weight: 1,
    },
  );
}

function appendedField({ fieldNumber, wireType, payload, lengthLie }: Extract<WireMutation, { kind: "append" }>): number[] {
  const tag = varint((BigInt(fieldNumber) << 3n) | BigInt(wireType));
  switch (wireType) {
    case 0:
      return [...tag, ...(payload.length > 0 ? payload : [0])];
    case 1:
      return [...tag, ...payload.slice(0, 8), ...new Array<number>(Math.max(0, 8 - payload.length)).fill(0)];
    case 2:
      return [...tag, ...varint(BigInt(Math.max(0, payload.length + lengthLie))), ...payload];
    case 5:
      return [...tag, ...payload.slice(0, 4), ...new Array<number>(Math.max(0, 4 - payload.length)).fill(0)];
    default:
      // 3 and 4 start and end a group; 6 and 7 do not exist.
      return [...tag, ...payload];
  }
}

export function applyWireMutation(body: Uint8Array, mutation: WireMutation): Uint8Array {
  switch (mutation.kind) {
    case "append":
      return Uint8Array.from([...body, ...appendedField(mutation)]);
    case "truncate":
      return body.slice(0, body.length === 0 ? 0 : mutation.keep % body.length);
    case "flip": {
      if (body.length === 0) return body;
      const flipped = Uint8Array.from(body);
      flipped[mutation.at % body.length] ^= mutation.xor;
      return flipped;
    }
  }
}
