import { type ConsumedRecord } from '@aigw/events';

/** When gathered records are written. */
export interface AccumulatorLimits {
  /** Write as soon as this many records are waiting (default 50 000). */
  readonly maxRecords?: number;
  /** Write at the latest this long after the first waiting record arrived (default 100 ms). */
  readonly maxDelayMs?: number;
  /**
   * Write once no further delivery has arrived for this long (default 2 ms). The consumer hands
   * over every partition batch of one fetch at once and fetches again only after they are
   * acknowledged, so waiting longer than that only delays the write.
   */
  readonly idleMs?: number;
}

interface Waiting {
  readonly records: readonly ConsumedRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the batches that several partitions (and topics) deliver at the same time into one
 * write, by size, idle time or delay, whichever comes first; what arrives while a write runs
 * goes into the next write together. `add` resolves only once its
 * records are written, so the caller commits its offsets after that, and a partition gets no
 * new batch before: memory is bounded by the batches in hand (backpressure, not an unbounded
 * queue). Writes run one at a time; a failed write rejects every `add` it carried (all are
 * redelivered).
 */
export class RecordAccumulator {
  private waiting: Waiting[] = [];
  private waitingRecords = 0;
  private deadline: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** A write is queued that will take what is waiting when it starts. */
  private flushQueued = false;
  private readonly maxRecords: number;
  private readonly maxDelayMs: number;
  private readonly idleMs: number;

  constructor(
    private readonly write: (records: readonly ConsumedRecord[]) => Promise<void>,
    limits: AccumulatorLimits = {},
  ) {
    this.maxRecords = Math.max(1, limits.maxRecords ?? 50_000);
    this.maxDelayMs = Math.max(0, limits.maxDelayMs ?? 100);
    this.idleMs = Math.max(0, Math.min(limits.idleMs ?? 2, this.maxDelayMs));
  }

  add(records: readonly ConsumedRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const written = new Promise<void>((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
    });
    this.waitingRecords += records.length;
    if (this.flushQueued) {
      // Taken when the running write is done, with everything else that arrived meanwhile.
    } else if (this.waitingRecords >= this.maxRecords) {
      this.flush();
    } else {
      this.deadline ??= setTimeout(() => this.flush(), this.maxDelayMs);
      if (this.idle) clearTimeout(this.idle);
      this.idle = setTimeout(() => this.flush(), this.idleMs);
    }
    return written;
  }

  private flush(): void {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.idle) clearTimeout(this.idle);
    this.deadline = undefined;
    this.idle = undefined;
    if (this.waiting.length === 0 || this.flushQueued) return;
    this.flushQueued = true;
    this.writing = this.writing.then(() => this.writeWaiting());
  }

  /** Writes the deliveries waiting now, up to about `maxRecords` (whole deliveries). */
  private async writeWaiting(): Promise<void> {
    this.flushQueued = false;
    let count = 0;
    let taking = 0;
    while (taking < this.waiting.length && (taking === 0 || count < this.maxRecords)) {
      count += this.waiting[taking]!.records.length;
      taking += 1;
    }
    const taken = this.waiting.splice(0, taking);
    this.waitingRecords -= count;
    // What is left (more than one write's worth) is written next.
    if (this.waiting.length > 0) this.flush();
    if (taken.length === 0) return;
    try {
      await this.write(taken.length === 1 ? taken[0]!.records : taken.flatMap((e) => e.records));
      for (const entry of taken) entry.resolve();
    } catch (error) {
      for (const entry of taken) entry.reject(error);
    }
  }
}
