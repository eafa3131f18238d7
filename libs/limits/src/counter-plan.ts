import { budgetKeyGraceMs, budgetPeriodOf } from './budget-period';
import {
  type AcquireResult,
  counterKeyOf,
  type CounterKind,
  counterKindOf,
  type LimitCheck,
  type LimitStatus,
  slidingWindowMs,
} from './limit-check';

/** A check resolved to the counter it touches, as both adapters need it. */
export interface PlannedCounter {
  readonly check: LimitCheck;
  readonly kind: CounterKind;
  readonly key: string;
  /** How long the reserved entry lives in the counter. */
  readonly entryTtlMs: number;
  /** Budgets: until the period ends; 0 for the others. */
  readonly periodResetMs: number;
  /** How long an idle counter is kept. */
  readonly keyTtlMs: number;
}

/** What an adapter measured for one counter during an acquire. */
export interface CounterReading {
  readonly used: number;
  readonly resetMs: number;
  readonly retryAfterMs: number;
}

/** Retry hint when only in-flight requests (slots, pending budget reservations) stand in the way. */
export const inFlightRetryMs = 1000;

export function planCounters(
  checks: readonly LimitCheck[],
  nowMs: number,
  leaseMs: number,
): PlannedCounter[] {
  return checks.map((check) => {
    const kind = counterKindOf(check.metric);
    const key = counterKeyOf(check);
    switch (kind) {
      case 'sliding_window':
        return {
          check,
          kind,
          key,
          entryTtlMs: slidingWindowMs,
          periodResetMs: 0,
          keyTtlMs: slidingWindowMs,
        };
      case 'lease':
        return { check, kind, key, entryTtlMs: leaseMs, periodResetMs: 0, keyTtlMs: leaseMs };
      case 'budget': {
        const period = budgetPeriodOf(check.metric, nowMs);
        const periodResetMs = Math.max(1, period.endsAtMs - nowMs);
        return {
          check,
          kind,
          key: `${key}:${period.id}`,
          entryTtlMs: leaseMs,
          periodResetMs,
          keyTtlMs: periodResetMs + budgetKeyGraceMs,
        };
      }
    }
  });
}

/** Builds the acquire result from per-counter readings, in the order of the plan. */
export function acquireResultOf(
  planned: readonly PlannedCounter[],
  readings: readonly CounterReading[],
  admitted: boolean,
  reservationId: string,
): AcquireResult {
  const statuses: LimitStatus[] = planned.map((counter, index) => {
    const reading = readings[index]!;
    return {
      check: counter.check,
      used: reading.used,
      remaining: Math.max(0, counter.check.limit - reading.used),
      resetMs: Math.max(0, reading.resetMs),
      retryAfterMs: admitted ? 0 : Math.max(0, reading.retryAfterMs),
    };
  });
  if (admitted) {
    return {
      admitted: true,
      statuses,
      reservation: {
        id: reservationId,
        counters: planned.map((counter) => ({
          metric: counter.check.metric,
          key: counter.key,
          amount: counter.check.amount,
        })),
      },
    };
  }
  // The strictest refusal: of the exhausted limits, the one that frees up last.
  let fired: LimitStatus | undefined;
  for (const status of statuses) {
    if (status.used + status.check.amount <= status.check.limit) continue;
    if (!fired || status.retryAfterMs > fired.retryAfterMs) fired = status;
  }
  return { admitted: false, statuses, fired: fired ?? statuses[0]! };
}
