import fc from "fast-check";

/**
 * Values at and around every edge the contract names or the wire allows. The README's limits (customer_id 64,
 * name 200, cuisine 64, description 500, request_id 64) give the lengths: each at the limit and one past it.
 */
const README_LENGTH_LIMITS = [1, 64, 200, 500];

/** Large enough to find echoes and copies of input, small enough to send hundreds of times in a bounded run. */
export const VERY_LONG_LENGTH = 100_000;

const stringsOfLimitLengths = README_LENGTH_LIMITS.flatMap((limit) => [
  "x".repeat(limit),
  "x".repeat(limit + 1),
  // Four UTF-8 bytes and two UTF-16 units per character: a limit counted in the wrong unit shows here.
  "😀".repeat(limit),
  "😀".repeat(limit + 1),
]);

const trickyStrings = [
  "",
  " ",
  "   ",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e309",
  "0x7fffffff",
  "null",
  "undefined",
  "true",
  "\u0000",
  "a\u0000b",
  "\u202Eevil\u202C", // right-to-left override
  "\u200F\u200E", // right-to-left and left-to-right marks
  "\uFEFF", // byte order mark
  "e\u0301", // combining accent
  "\uD800", // a lone surrogate: the encoder sends U+FFFD
  "𝕏😀🏳️‍🌈",
  "\r\n\t",
  "%s%n%x",
  "${7*7}",
  "' OR '1'='1",
  '"); DROP TABLE meals; --',
  "../../etc/passwd",
  "a/b",
  "ａｂｃ", // full-width letters look like ASCII to a human
  "x".repeat(VERY_LONG_LENGTH),
  "😀".repeat(VERY_LONG_LENGTH / 4),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...trickyStrings, ...stringsOfLimitLengths), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 80 }), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 300 }), weight: 1 },
);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Every range end the README names (calories 20000, rating 5, daily_calories 50000, over_days 366, max_results 20, page_size 1000), and the type's ends. */
const int32Edges = [
  0,
  1,
  -1,
  2,
  5,
  6,
  20,
  21,
  366,
  367,
  1000,
  1001,
  20000,
  20001,
  50000,
  50001,
  INT32_MAX,
  INT32_MIN,
  INT32_MIN + 1,
];

export const hostileInt32: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...int32Edges),
  fc.integer({ min: INT32_MIN, max: INT32_MAX }),
);

export const hostileUint32: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(0, 1, INT32_MAX, 2 ** 32 - 1), fc.nat());

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const int64Edges = [0n, 1n, -1n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, INT64_MAX, INT64_MIN, INT64_MAX - 1n];

export const hostileInt64: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(...int64Edges),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.bigInt({ min: 0n, max: 1000n }),
);

export const hostileUint64: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, 2n ** 64n - 1n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);

/** An enum number: every declared value, the ones next to them, and the int32 ends. */
export function hostileEnumNumber(declared: number[]): fc.Arbitrary<number> {
  const edges = [...declared, Math.max(...declared) + 1, -1, INT32_MAX, INT32_MIN];
  return fc.oneof({ arbitrary: fc.constantFrom(...declared), weight: 3 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
}

/** google.protobuf.Timestamp is valid from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, nanos 0..999,999,999. */
const TIMESTAMP_MIN_SECONDS = -62_135_596_800n;
const TIMESTAMP_MAX_SECONDS = 253_402_300_799n;
/** The meals service takes eaten_time from 1970 up to (not including) 9999-01-01. */
const YEAR_9999_SECONDS = 253_370_764_800n;

const timestampSecondEdges = [
  0n,
  -1n,
  1n,
  TIMESTAMP_MIN_SECONDS,
  TIMESTAMP_MIN_SECONDS - 1n,
  TIMESTAMP_MAX_SECONDS,
  TIMESTAMP_MAX_SECONDS + 1n,
  YEAR_9999_SECONDS,
  YEAR_9999_SECONDS - 1n,
  INT64_MAX,
  INT64_MIN,
  2n ** 53n,
  8_640_000_000_000n, // the last second a JavaScript Date can hold
  8_640_000_000_001n,
];

const nanosEdges = [0, 1, 999_999, 1_000_000, 999_999_999, 1_000_000_000, -1, INT32_MAX, INT32_MIN];

/** Seconds near now, so that most timestamps land on days the summaries and lists look at. */
const recentSeconds = fc.bigInt({ min: 1_700_000_000n, max: 1_900_000_000n });

export const hostileTimestampSeconds: fc.Arbitrary<bigint> = fc.oneof(
  { arbitrary: recentSeconds, weight: 3 },
  { arbitrary: fc.constantFrom(...timestampSecondEdges), weight: 2 },
  { arbitrary: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), weight: 1 },
);

export const hostileNanos: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 999_999_999 }), weight: 3 },
  { arbitrary: fc.constantFrom(...nanosEdges), weight: 1 },
);
