import {
  acquireResultOf,
  type CounterReading,
  inFlightRetryMs,
  type PlannedCounter,
  planCounters,
} from './counter-plan';
import {
  type AcquireOptions,
  type AcquireResult,
  counterKindOf,
  type LimitCheck,
  type Reservation,
  type SettleActuals,
  slidingWindowMs,
} from './limit-check';
import { type Limiter } from './limiter';

interface Entry {
  amount: number;
  readonly expiresAt: number;
}

/**
 * One counter. Entries are kept in insertion order, which is expiry order because every entry
 * of a counter lives equally long (a window, or the lease).
 */
interface MemoryCounter {
  total: number;
  /** Budgets: reserved but not yet settled. */
  pending: number;
  readonly entries: Map<string, Entry>;
  /** When the newest entry expires (entries are in expiry order). */
  newestExpiresAt: number;
  keyExpiresAt: number;
}

const sweepEvery = 1024;
/**
 * How long a settle is remembered: slots and budget entries leave their counter when settled,
 * only token entries stay for the rest of their window, so remembering a window suffices.
 */
const settledMemoryMs = slidingWindowMs;

/**
 * Limits in process memory, for standalone mode. Node runs this code on one thread and
 * `acquire` never awaits between checking and reserving, so every acquire is atomic.
 */
export class InMemoryLimiter implements Limiter {
  private readonly counters = new Map<string, MemoryCounter>();
  /** Reservations already settled or released (in settle order), so a second settle is a no-op. */
  private readonly settled = new Map<string, number>();
  private acquiresSinceSweep = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  acquire(checks: readonly LimitCheck[], options: AcquireOptions): Promise<AcquireResult> {
    return Promise.resolve(this.acquireNow(checks, options));
  }

  settle(reservation: Reservation, actuals: SettleActuals): Promise<void> {
    this.settleNow(reservation, actuals);
    return Promise.resolve();
  }

  release(reservation: Reservation): Promise<void> {
    this.settleNow(reservation, { tokens: 0, costNanoUsd: 0 });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.counters.clear();
    return Promise.resolve();
  }

  private acquireNow(checks: readonly LimitCheck[], options: AcquireOptions): AcquireResult {
    const now = this.clock();
    if (++this.acquiresSinceSweep >= sweepEvery) this.sweep(now);
    const planned = planCounters(checks, now, options.leaseMs);
    const counters = planned.map((counter) => this.counterAt(counter, now));
    const admitted = planned.every(
      (counter, index) => counters[index]!.total + counter.check.amount <= counter.check.limit,
    );
    if (admitted) {
      planned.forEach((counter, index) => {
        const state = counters[index]!;
        state.total += counter.check.amount;
        if (counter.kind === 'budget') state.pending += counter.check.amount;
        const expiresAt = now + counter.entryTtlMs;
        state.entries.set(options.reservationId, { amount: counter.check.amount, expiresAt });
        state.newestExpiresAt = Math.max(state.newestExpiresAt, expiresAt);
        state.keyExpiresAt = Math.max(state.keyExpiresAt, now + counter.keyTtlMs);
      });
    }
    const readings = planned.map((counter, index) =>
      reading(counter, counters[index]!, now, admitted),
    );
    return acquireResultOf(planned, readings, admitted, options.reservationId);
  }

  private settleNow(reservation: Reservation, actuals: SettleActuals): void {
    const now = this.clock();
    if (this.settled.has(reservation.id)) return;
    this.settled.set(reservation.id, now + settledMemoryMs);
    for (const reserved of reservation.counters) {
      const counter = this.counters.get(reserved.key);
      const entry = counter?.entries.get(reservation.id);
      if (!counter || !entry) continue;
      switch (counterKindOf(reserved.metric)) {
        case 'sliding_window':
          // Requests stay counted; tokens become what was used, for the rest of the window.
          if (reserved.metric === 'tokens_per_minute' && actuals.tokens !== undefined) {
            counter.total += actuals.tokens - entry.amount;
            entry.amount = actuals.tokens;
          }
          break;
        case 'lease':
          counter.entries.delete(reservation.id);
          counter.total -= entry.amount;
          break;
        case 'budget':
          counter.entries.delete(reservation.id);
          counter.pending -= entry.amount;
          if (actuals.costNanoUsd !== undefined)
            counter.total += actuals.costNanoUsd - entry.amount;
          break;
      }
    }
  }

  /** The counter, with entries whose time is up removed. */
  private counterAt(planned: PlannedCounter, now: number): MemoryCounter {
    let counter = this.counters.get(planned.key);
    if (!counter || counter.keyExpiresAt <= now) {
      counter = {
        total: 0,
        pending: 0,
        entries: new Map(),
        newestExpiresAt: 0,
        keyExpiresAt: now + planned.keyTtlMs,
      };
      this.counters.set(planned.key, counter);
    }
    for (const [id, entry] of counter.entries) {
      if (entry.expiresAt > now) break;
      counter.entries.delete(id);
      if (planned.kind === 'budget') {
        // An unsettled budget reservation stays charged at its worst case: money errs safe.
        counter.pending -= entry.amount;
      } else {
        counter.total -= entry.amount;
      }
    }
    return counter;
  }

  private sweep(now: number): void {
    this.acquiresSinceSweep = 0;
    for (const [key, counter] of this.counters) {
      if (counter.keyExpiresAt <= now) this.counters.delete(key);
    }
    for (const [id, forgetAt] of this.settled) {
      if (forgetAt > now) break;
      this.settled.delete(id);
    }
  }
}

function reading(
  planned: PlannedCounter,
  counter: MemoryCounter,
  now: number,
  admitted: boolean,
): CounterReading {
  const { limit, amount } = planned.check;
  switch (planned.kind) {
    case 'sliding_window': {
      const resetMs = counter.entries.size > 0 ? counter.newestExpiresAt - now : 0;
      if (admitted) return { used: counter.total, resetMs, retryAfterMs: 0 };
      return { used: counter.total, resetMs, retryAfterMs: slidingRetry(counter, planned, now) };
    }
    case 'lease':
      return { used: counter.total, resetMs: 0, retryAfterMs: admitted ? 0 : inFlightRetryMs };
    case 'budget': {
      const settlingMayFree = amount <= limit && counter.total - counter.pending + amount <= limit;
      return {
        used: counter.total,
        resetMs: planned.periodResetMs,
        retryAfterMs: admitted ? 0 : settlingMayFree ? inFlightRetryMs : planned.periodResetMs,
      };
    }
  }
}

/** When enough of the window's oldest entries have expired for this request to fit. */
function slidingRetry(counter: MemoryCounter, planned: PlannedCounter, now: number): number {
  const { limit, amount } = planned.check;
  if (amount > limit) return slidingWindowMs;
  const needed = counter.total + amount - limit;
  let freed = 0;
  for (const entry of counter.entries.values()) {
    freed += entry.amount;
    if (freed >= needed) return entry.expiresAt - now;
  }
  return slidingWindowMs;
}
