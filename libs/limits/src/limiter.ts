import {
  type AcquireOptions,
  type AcquireResult,
  type LimitCheck,
  type Reservation,
  type SettleActuals,
} from './limit-check';

/**
 * Checks and reserves rate limits and budgets. `acquire` is atomic over all the checks it is
 * given: either every counter takes the request's reservation, or none does and the result
 * names the limit that refused. Settling is idempotent, and a reservation that is never settled
 * cannot leak: its concurrency slot and pending budget entry expire with the lease.
 */
export interface Limiter {
  acquire(checks: readonly LimitCheck[], options: AcquireOptions): Promise<AcquireResult>;
  /** Adjusts tokens and cost to what was used and frees the concurrency slot. */
  settle(reservation: Reservation, actuals: SettleActuals): Promise<void>;
  /** Gives back tokens, cost and the slot of a request that did not run. */
  release(reservation: Reservation): Promise<void>;
  close(): Promise<void>;
}

/** The limit store could not be reached or did not answer in time. */
export class LimitStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LimitStoreUnavailableError';
  }
}
