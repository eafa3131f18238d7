/**
 * What a limit counts. Request and token limits are sliding 60-second windows, concurrency is a
 * count of leased slots, and dollar budgets are per UTC day or month, in nano-dollars.
 */
export type LimitMetric =
  | 'requests_per_minute'
  | 'tokens_per_minute'
  | 'concurrent_requests'
  | 'usd_per_day'
  | 'usd_per_month';

/** How a metric's counter behaves; both adapters implement exactly these three. */
export type CounterKind = 'sliding_window' | 'lease' | 'budget';

export function counterKindOf(metric: LimitMetric): CounterKind {
  switch (metric) {
    case 'requests_per_minute':
    case 'tokens_per_minute':
      return 'sliding_window';
    case 'concurrent_requests':
      return 'lease';
    case 'usd_per_day':
    case 'usd_per_month':
      return 'budget';
  }
}

/** The length of a request/token window. */
export const slidingWindowMs = 60_000;

/** One limit that applies to a request. */
export interface LimitCheck {
  readonly metric: LimitMetric;
  /** Who the limit belongs to, e.g. "endpoint:chat", "principal:alice", "tag:team=search". */
  readonly scope: string;
  /** Requests, tokens, slots, or nano-dollars. */
  readonly limit: number;
  /** What this request reserves against it (1 request, estimated tokens, worst-case cost). */
  readonly amount: number;
}

/** Where a check stands after an acquire. */
export interface LimitStatus {
  readonly check: LimitCheck;
  /** Counted against the limit: after the reservation when admitted, before it when refused. */
  readonly used: number;
  readonly remaining: number;
  /** Until the counter is back to zero use (window drained, or budget period over). */
  readonly resetMs: number;
  /** When refused by this check: how long until it could admit this request; 0 otherwise. */
  readonly retryAfterMs: number;
}

/** One counter a reservation holds, with what it reserved there. */
export interface ReservedCounter {
  readonly metric: LimitMetric;
  /** The counter's key, without the store's prefix (budget keys carry their period). */
  readonly key: string;
  readonly amount: number;
}

/** What an admitted request holds until it settles or the lease runs out. */
export interface Reservation {
  readonly id: string;
  readonly counters: readonly ReservedCounter[];
}

export type AcquireResult =
  | {
      readonly admitted: true;
      readonly reservation: Reservation;
      readonly statuses: readonly LimitStatus[];
    }
  | {
      readonly admitted: false;
      /** The limit that refused: among the exhausted ones, the one that frees up last. */
      readonly fired: LimitStatus;
      readonly statuses: readonly LimitStatus[];
    };

export interface AcquireOptions {
  /** Unique per request; the member name of the reservation in every counter. */
  readonly reservationId: string;
  /** How long concurrency slots and unsettled budget reservations are held without a settle. */
  readonly leaseMs: number;
}

/**
 * What the request actually used. Undefined keeps what was reserved: a token or cost that is
 * not known (e.g. a model without a price) stays charged at the reserved worst case.
 */
export interface SettleActuals {
  readonly tokens: number | undefined;
  readonly costNanoUsd: number | undefined;
}

/** The counter key a check uses; budgets get their UTC period appended by the limiter. */
export function counterKeyOf(check: Pick<LimitCheck, 'metric' | 'scope'>): string {
  return `${metricCode(check.metric)}:${check.scope}`;
}

function metricCode(metric: LimitMetric): string {
  switch (metric) {
    case 'requests_per_minute':
      return 'rpm';
    case 'tokens_per_minute':
      return 'tpm';
    case 'concurrent_requests':
      return 'conc';
    case 'usd_per_day':
      return 'usd-day';
    case 'usd_per_month':
      return 'usd-month';
  }
}
