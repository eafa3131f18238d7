/**
 * A bounded set of recently seen ids with least-recently-used eviction. A fast first line of
 * dedupe only: ids it has forgotten (or that another replica inserted) are still collapsed by
 * the ReplacingMergeTree tables.
 *
 * Every operation is O(1) amortised: uses are appended to a queue with a stamp, and eviction
 * pops the queue, skipping entries a later use has superseded. (Evicting through a Map's first
 * key instead costs a scan over every earlier deletion, which grows with the capacity.)
 */
export class RecentIdCache {
  /** id → stamp of its latest use. */
  private readonly stamps = new Map<string, number>();
  /** Uses in order, oldest first from `head`; an entry is live if its stamp is the id's latest. */
  private order: string[] = [];
  private orderStamps: number[] = [];
  private head = 0;
  private clock = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('RecentIdCache capacity must be a positive integer');
    }
  }

  /** Number of ids held. */
  get size(): number {
    return this.stamps.size;
  }

  /** True if `id` was added recently; a hit makes it the most recently used. */
  has(id: string): boolean {
    if (!this.stamps.has(id)) return false;
    this.use(id);
    return true;
  }

  /** Remembers `id`, forgetting the least recently used ids beyond the capacity. */
  add(id: string): void {
    this.use(id);
    while (this.stamps.size > this.capacity) this.evictOldest();
  }

  private use(id: string): void {
    const stamp = ++this.clock;
    this.stamps.set(id, stamp);
    this.order.push(id);
    this.orderStamps.push(stamp);
    // Superseded entries are dropped once the queue holds twice the live ids (amortised O(1)).
    if (this.order.length - this.head > 2 * this.capacity + 1024) this.compact();
  }

  private evictOldest(): void {
    while (this.head < this.order.length) {
      const id = this.order[this.head]!;
      const stamp = this.orderStamps[this.head]!;
      this.head += 1;
      if (this.stamps.get(id) === stamp) {
        this.stamps.delete(id);
        break;
      }
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) this.compact();
  }

  private compact(): void {
    const order: string[] = [];
    const orderStamps: number[] = [];
    for (let index = this.head; index < this.order.length; index += 1) {
      const id = this.order[index]!;
      const stamp = this.orderStamps[index]!;
      if (this.stamps.get(id) === stamp) {
        order.push(id);
        orderStamps.push(stamp);
      }
    }
    this.order = order;
    this.orderStamps = orderStamps;
    this.head = 0;
  }
}
