import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createFileRegistry, fromBinary, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { FieldViolation } from "../errors/DomainError.js";

/** google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

type Plain = Record<string, unknown>;

function isTimestamp(message: DescMessage): boolean {
  return message.typeName === "google.protobuf.Timestamp";
}

function hasTimestamps(message: DescMessage, seen = new Set<string>()): boolean {
  if (seen.has(message.typeName)) return false;
  seen.add(message.typeName);
  return message.fields.some(
    (field) =>
      (field.fieldKind === "message" || field.fieldKind === "list") &&
      field.message !== undefined &&
      (isTimestamp(field.message) || hasTimestamps(field.message, seen)),
  );
}

/** The instant a valid Timestamp names, to the millisecond, truncated: never rounded into the next second. */
function exactDate({ seconds, nanos }: Timestamp): Date {
  return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1_000_000));
}

function timestampViolation({ seconds, nanos }: Timestamp, field: string): FieldViolation | undefined {
  if (nanos < 0 || nanos > 999_999_999) return { field, description: "nanos must be between 0 and 999,999,999" };
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    return { field, description: "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z" };
  }
  return undefined;
}

/**
 * Walks the exactly decoded message beside the one ts-proto decoded: each
 * Timestamp is checked against its range, and the ts-proto Date (which adds
 * nanos / 1e6 in floating point and can round 23:59:59.9999999 into the next
 * day) is replaced by the exact instant.
 */
function readTimestamps(schema: DescMessage, exact: Plain, decoded: Plain, prefix: string, violations: FieldViolation[]): void {
  for (const field of schema.fields) {
    if (field.fieldKind !== "message" || exact[field.localName] === undefined) continue;
    const path = `${prefix}${field.name}`;
    if (isTimestamp(field.message)) {
      const timestamp = exact[field.localName] as Timestamp;
      const violation = timestampViolation(timestamp, path);
      if (violation) violations.push(violation);
      else decoded[field.localName] = exactDate(timestamp);
    } else if (decoded[field.localName] !== undefined) {
      readTimestamps(field.message, exact[field.localName] as Plain, decoded[field.localName] as Plain, `${path}.`, violations);
    }
  }
}

/**
 * The Timestamp checks of every method whose request holds one, by method
 * path, from the descriptor set the build wrote. ts-proto turns Timestamps
 * into Dates while decoding and keeps neither the nanos nor the range, so they
 * are read a second time, exactly, with @bufbuild/protobuf; only requests that
 * carry a Timestamp pay for it.
 */
export class RequestTimestamps {
  private readonly registry: FileRegistry;

  constructor(
    descriptorSet: Uint8Array = readFileSync(fileURLToPath(import.meta.resolve("@mealplan/client/descriptors/mealplan.binpb"))),
  ) {
    this.registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet));
  }

  /**
   * A reader for the method's request (it fixes `decoded`'s Dates and returns the invalid Timestamps), or
   * undefined when the request type holds no Timestamp.
   */
  readerFor(path: string): ((bytes: Uint8Array, decoded: Plain) => FieldViolation[]) | undefined {
    const [serviceName, methodName] = path.slice(1).split("/");
    const method = this.registry.getService(serviceName)?.methods.find((candidate) => candidate.name === methodName);
    if (!method || !hasTimestamps(method.input)) return undefined;
    const schema = method.input;
    return (bytes, decoded) => {
      const violations: FieldViolation[] = [];
      readTimestamps(schema, fromBinary(schema, bytes), decoded, "", violations);
      return violations;
    };
  }
}
