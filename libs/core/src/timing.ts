/** Monotonic milliseconds with sub-millisecond precision, for latencies. */
export function monotonicMs(): number {
  return performance.now();
}

/** Milliseconds rounded to microseconds, the precision events carry. */
export function roundMs(value: number): number {
  return Math.round(value * 1000) / 1000;
}
