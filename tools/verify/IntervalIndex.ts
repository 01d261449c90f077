/**
 * Finds the items whose time span may overlap a window without scanning every
 * item: a long run logs hundreds of thousands of meals, and a call overlaps a
 * handful. Spans are filed into fixed-width buckets; a query may return a few
 * extra items near its edges, never miss one.
 */
export class IntervalIndex<Item> {
  private readonly buckets = new Map<number, Item[]>();

  constructor(private readonly bucketMs = 1000) {}

  add(item: Item, from: number, until: number): void {
    for (let bucket = this.bucketOf(from); bucket <= this.bucketOf(until); bucket++) {
      const items = this.buckets.get(bucket) ?? [];
      items.push(item);
      this.buckets.set(bucket, items);
    }
  }

  overlapping(from: number, until: number): Item[] {
    const found = new Set<Item>();
    for (let bucket = this.bucketOf(from); bucket <= this.bucketOf(until); bucket++) {
      for (const item of this.buckets.get(bucket) ?? []) found.add(item);
    }
    return [...found];
  }

  private bucketOf(time: number): number {
    return Math.floor(time / this.bucketMs);
  }
}
