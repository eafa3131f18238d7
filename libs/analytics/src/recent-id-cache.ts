/**
 * A bounded set of recently seen ids with least-recently-used eviction. A fast first line of
 * dedupe only: ids it has forgotten (or that another replica inserted) are still collapsed by
 * the ReplacingMergeTree tables.
 */
export class RecentIdCache {
  // A Map iterates in insertion order, so its first key is the least recently used one.
  private readonly ids = new Map<string, true>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('RecentIdCache capacity must be a positive integer');
    }
  }

  /** Number of ids held. */
  get size(): number {
    return this.ids.size;
  }

  /** True if `id` was added recently; a hit makes it the most recently used. */
  has(id: string): boolean {
    if (!this.ids.has(id)) return false;
    this.ids.delete(id);
    this.ids.set(id, true);
    return true;
  }

  /** Remembers `id`, forgetting the least recently used ids beyond the capacity. */
  add(id: string): void {
    this.ids.delete(id);
    this.ids.set(id, true);
    while (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next();
      if (oldest.done) break;
      this.ids.delete(oldest.value);
    }
  }
}
