/** Exponential backoff bounds, in milliseconds. */
export interface BackoffRange {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Doubles from `initialMs` up to `maxMs`; `reset()` after a success. */
export class Backoff {
  private current: number;

  constructor(private readonly range: BackoffRange) {
    this.current = range.initialMs;
  }

  /** The delay to wait now; the next one is twice as long (capped). */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.range.maxMs);
    return delay;
  }

  reset(): void {
    this.current = this.range.initialMs;
  }
}
