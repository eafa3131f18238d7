import { type ConsumedRecord } from '@aigw/events';

/** When gathered records are written. */
export interface AccumulatorLimits {
  /** Write as soon as this many records are waiting (default 20 000). */
  readonly maxRecords?: number;
  /** Write at the latest this long after the first waiting record arrived (default 100 ms). */
  readonly maxDelayMs?: number;
}

interface Waiting {
  readonly records: readonly ConsumedRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the batches that several partitions (and topics) deliver at the same time into one
 * write, by size or time, whichever comes first. `add` resolves only once its records are
 * written, so the caller commits its offsets after that, and a partition gets no new batch
 * before: memory is bounded by the batches in hand (backpressure, not an unbounded queue).
 * Writes run one at a time; a failed write rejects every `add` it carried (all are redelivered).
 */
export class RecordAccumulator {
  private waiting: Waiting[] = [];
  private waitingRecords = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly maxRecords: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly write: (records: readonly ConsumedRecord[]) => Promise<void>,
    limits: AccumulatorLimits = {},
  ) {
    this.maxRecords = Math.max(1, limits.maxRecords ?? 20_000);
    this.maxDelayMs = Math.max(0, limits.maxDelayMs ?? 100);
  }

  add(records: readonly ConsumedRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const written = new Promise<void>((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
    });
    this.waitingRecords += records.length;
    if (this.waitingRecords >= this.maxRecords) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
    return written;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const taken = this.waiting;
    if (taken.length === 0) return;
    this.waiting = [];
    this.waitingRecords = 0;
    this.writing = this.writing.then(async () => {
      try {
        await this.write(taken.flatMap((entry) => entry.records));
        for (const entry of taken) entry.resolve();
      } catch (error) {
        for (const entry of taken) entry.reject(error);
      }
    });
  }
}
