/** The nearest-rank percentile (`p` in 0..100) of samples sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50 and p99 of unsorted samples. */
export function latencySummary(samples: readonly number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((left, right) => left - right);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}
