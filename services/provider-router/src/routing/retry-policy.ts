import { type ProviderError, type ProviderErrorClass } from '../providers/provider-error';

/** A number in [0, 1): Math.random in production, a fixed sequence in tests. */
export type RandomSource = () => number;

/** Retries of one target, resolved from target, provider and defaults. */
export interface RetrySettings {
  /** Tries per target, the first included. */
  readonly maxAttempts: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /** A longer Retry-After is not waited for: the router falls back at once. */
  readonly maxRetryAfterMs: number;
  readonly on: ReadonlySet<ProviderErrorClass>;
}

/**
 * Jittered exponential backoff: the n-th retry waits between half and all of
 * min(max, base × 2^(n-1)), so retries from many requests do not arrive together.
 */
export function backoffMs(retry: number, settings: RetrySettings, random: RandomSource): number {
  const ceiling = Math.min(settings.maxBackoffMs, settings.baseBackoffMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long to wait before trying the same target again after `failure`, or undefined to move on:
 * no tries left, a failure not retried, or a Retry-After longer than the router will wait.
 */
export function retryDelayMs(
  failure: ProviderError,
  triesSoFar: number,
  settings: RetrySettings,
  random: RandomSource,
): number | undefined {
  if (triesSoFar >= settings.maxAttempts || !settings.on.has(failure.errorClass)) return undefined;
  const backoff = backoffMs(triesSoFar, settings, random);
  if (failure.retryAfterMs === undefined) return backoff;
  if (failure.retryAfterMs > settings.maxRetryAfterMs) return undefined;
  return Math.max(failure.retryAfterMs, backoff);
}
