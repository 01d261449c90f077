/** Sub-buckets per power of two: every recorded latency is kept within 1/64 (1.6%) of its value. */
const SUB_BUCKETS = 64;
const SUB_BITS = 6;
/** 2^31 microseconds is 35 minutes: far beyond any call deadline the bench sets. */
const MAX_MICROS = 2 ** 31 - 1;

export type SerializedHistogram = Array<[bucket: number, count: number]>;

function bucketOf(micros: number): number {
  const value = Math.min(MAX_MICROS, Math.max(0, Math.round(micros)));
  if (value < 2 * SUB_BUCKETS) return value;
  const shift = 31 - Math.clz32(value) - SUB_BITS;
  return (shift + 1) * SUB_BUCKETS + ((value >> shift) - SUB_BUCKETS);
}

function midpointOf(bucket: number): number {
  if (bucket < 2 * SUB_BUCKETS) return bucket;
  const shift = Math.floor(bucket / SUB_BUCKETS) - 1;
  const lower = ((bucket % SUB_BUCKETS) + SUB_BUCKETS) * 2 ** shift;
  return lower + (2 ** shift - 1) / 2;
}

/**
 * Log-linear latency histogram in microseconds (the HdrHistogram layout): a
 * load client can record millions of calls in constant memory and ship them to
 * the parent as a few hundred numbers, and histograms of parallel clients merge
 * exactly.
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;

  record(micros: number): void {
    const bucket = bucketOf(micros);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
  }

  get count(): number {
    return this.total;
  }

  merge(serialized: SerializedHistogram): void {
    for (const [bucket, count] of serialized) {
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
      this.total += count;
    }
  }

  serialize(): SerializedHistogram {
    return [...this.counts.entries()];
  }

  /** The latency in milliseconds that `percent` % of the calls did not exceed; NaN when empty. */
  percentileMs(percent: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank) return midpointOf(bucket) / 1000;
    }
    return Number.NaN;
  }
}
