/**
 * How hard the fuzzer tries. `npm test` runs each method a bounded number of times from a fixed seed, so a red
 * run is reproducible and the whole fuzz stays well under a minute on a 2-core machine; a long run takes its
 * figures from the environment (--no-config: .mocharc.json's spec would add every other test to the run):
 *
 *   npm run build && FUZZ_RUNS=20000 FUZZ_SEED=123 npx mocha --no-config --exit --timeout 0 'dist/test/fuzz/*.test.js'
 *
 * FUZZ_RUNS is per method; FUZZ_SEED any integer. A failure prints the seed and path that replay it: pass them
 * as FUZZ_SEED and FUZZ_PATH, with `--grep <Method>` so that only the failing method replays.
 * FUZZ_NO_SHRINK=1 reports the first failing case unshrunk; FUZZ_QUIET=1 leaves out the figures (requests and
 * codes per method).
 */
function integerFrom(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`${name} must be an integer, not ${value}`);
  return parsed;
}

export const fuzzSettings = {
  runsPerMethod: integerFrom("FUZZ_RUNS", 200),
  seed: integerFrom("FUZZ_SEED", 20260111),
  path: process.env.FUZZ_PATH || undefined,
  /** FUZZ_NO_SHRINK=1 reports the first failing case as found, which is faster while hunting. */
  endOnFailure: process.env.FUZZ_NO_SHRINK === "1",
  /** What a method may spend shrinking a failure on top of its runs; then the smallest case found so far is reported. */
  shrinkLimitMs: integerFrom("FUZZ_SHRINK_LIMIT_MS", 60_000),
  /** Health and a known-good call after every this many requests. */
  batchSize: 25,
};
