import { create, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  hostileEnumNumber,
  hostileInt32,
  hostileInt64,
  hostileNanos,
  hostileString,
  hostileTimestampSeconds,
  hostileUint32,
  hostileUint64,
} from "./hostileValues.js";

/**
 * Values that look right for a field, by its proto name (customer_id, meal_id, time_zone, ...): drawn often,
 * they let requests get past validation to the database and the goals service, where the deep paths are.
 */
export type FieldHints = Readonly<Record<string, fc.Arbitrary<unknown>>>;

const TIMESTAMP = "google.protobuf.Timestamp";
const FIELD_MASK = "google.protobuf.FieldMask";
/** Requests have no recursive messages today; the cap keeps a future one from generating forever. */
const MAX_DEPTH = 4;

function scalarArbitrary(scalar: ScalarType): fc.Arbitrary<unknown> {
  switch (scalar) {
    case ScalarType.STRING:
      return hostileString;
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 64 });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return hostileInt32;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return hostileUint32;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return hostileInt64;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return hostileUint64;
    case ScalarType.FLOAT:
      return fc.float();
    case ScalarType.DOUBLE:
      return fc.double();
  }
}

/** Paths that name the fields of the message the mask sits beside (update_mask next to meal), "*", and junk. */
function fieldMaskArbitrary(parent: DescMessage, hints: FieldHints): fc.Arbitrary<unknown> {
  const siblingFieldNames = parent.fields.flatMap((field) =>
    field.fieldKind === "message" && field.message.typeName !== FIELD_MASK ? field.message.fields.map((inner) => inner.name) : [],
  );
  const camelCaseNames = parent.fields.flatMap((field) =>
    field.fieldKind === "message" && field.message.typeName !== FIELD_MASK
      ? field.message.fields.map((inner) => inner.jsonName)
      : [],
  );
  const path = fc.oneof(
    { arbitrary: fc.constantFrom(...siblingFieldNames, "*"), weight: 6 },
    { arbitrary: fc.constantFrom(...camelCaseNames, "", "meal.name", "goal.daily_calories", "**"), weight: 1 },
    { arbitrary: hints.paths ?? hostileString, weight: 1 },
  );
  return fc.array(path, { maxLength: 4 }).map((paths) => ({ paths }));
}

function timestampArbitrary(): fc.Arbitrary<unknown> {
  return fc.record({ seconds: hostileTimestampSeconds, nanos: hostileNanos });
}

function singularArbitrary(field: DescField, parent: DescMessage, hints: FieldHints, depth: number): fc.Arbitrary<unknown> {
  switch (field.fieldKind) {
    case "scalar":
      return scalarArbitrary(field.scalar);
    case "enum":
      return hostileEnumNumber(field.enum.values.map((value) => value.number));
    case "message":
      if (field.message.typeName === FIELD_MASK) return fieldMaskArbitrary(parent, hints);
      return messageInitArbitrary(field.message, hints, depth + 1);
    case "list":
      if (field.listKind === "scalar") return fc.array(scalarArbitrary(field.scalar), { maxLength: 5 });
      if (field.listKind === "enum")
        return fc.array(hostileEnumNumber(field.enum.values.map((value) => value.number)), { maxLength: 5 });
      return fc.array(messageInitArbitrary(field.message, hints, depth + 1), { maxLength: 3 });
    case "map":
      // No request has a map field; an empty map keeps a future one from breaking the fuzzer until it learns maps.
      return fc.constant({});
  }
}

function fieldArbitrary(field: DescField, parent: DescMessage, hints: FieldHints, depth: number): fc.Arbitrary<unknown> {
  const generic = singularArbitrary(field, parent, hints, depth);
  const hint = hints[field.name];
  return hint ? fc.oneof({ arbitrary: hint, weight: 3 }, { arbitrary: generic, weight: 1 }) : generic;
}

/** The init object of a message: each field absent (its default) or drawn from its type, its edges and its hint. */
function messageInitArbitrary(desc: DescMessage, hints: FieldHints, depth: number): fc.Arbitrary<unknown> {
  if (desc.typeName === TIMESTAMP) return timestampArbitrary();
  if (depth > MAX_DEPTH) return fc.constant({});
  const fields = Object.fromEntries(
    desc.fields.map((field) => [
      field.localName,
      fc.option(fieldArbitrary(field, desc, hints, depth), { freq: 5, nil: undefined }),
    ]),
  );
  return fc.record(fields).map((init) => Object.fromEntries(Object.entries(init).filter(([, value]) => value !== undefined)));
}

/** Requests of one method's input type, built from its descriptor alone. */
export function messageArbitrary(desc: DescMessage, hints: FieldHints): fc.Arbitrary<Message> {
  return messageInitArbitrary(desc, hints, 0).map((init) => create(desc, init as never) as Message);
}
