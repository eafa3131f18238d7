import { describe, expect, it } from 'vitest';
import { ProviderError } from '../providers/provider-error';
import { backoffMs, retryDelayMs, type RetrySettings } from './retry-policy';

const settings: RetrySettings = {
  maxAttempts: 4,
  baseBackoffMs: 100,
  maxBackoffMs: 500,
  maxRetryAfterMs: 5_000,
  on: new Set(['connection', 'rate_limited', 'upstream_5xx']),
};
const lowest = () => 0;
const highest = () => 0.999_999;

describe('backoffMs', () => {
  it('doubles per retry, jittered between half and all of it, up to the cap', () => {
    expect([1, 2, 3, 4].map((retry) => backoffMs(retry, settings, lowest))).toEqual([
      50, 100, 200, 250,
    ]);
    expect([1, 2, 3, 4].map((retry) => backoffMs(retry, settings, highest))).toEqual([
      100, 200, 400, 500,
    ]);
    expect(backoffMs(1, settings, () => 0.5)).toBe(75);
  });
});

describe('retryDelayMs', () => {
  const serverError = new ProviderError('upstream_5xx', 'HTTP 503', 503);

  it('retries a retriable failure with backoff while tries are left', () => {
    expect(retryDelayMs(serverError, 1, settings, lowest)).toBe(50);
    expect(retryDelayMs(serverError, 3, settings, lowest)).toBe(200);
    expect(retryDelayMs(serverError, 4, settings, lowest)).toBeUndefined();
  });

  it('does not retry failures outside the configured classes, nor a 4xx', () => {
    expect(retryDelayMs(new ProviderError('timeout', 't'), 1, settings, lowest)).toBeUndefined();
    const rejected = new ProviderError('client_4xx', 'HTTP 400', 400);
    expect(retryDelayMs(rejected, 1, settings, lowest)).toBeUndefined();
  });

  it('waits as long as Retry-After asks, at least the backoff', () => {
    const limited = (ms: number) =>
      new ProviderError('rate_limited', 'HTTP 429', 429, undefined, ms);
    expect(retryDelayMs(limited(1_000), 1, settings, lowest)).toBe(1_000);
    expect(retryDelayMs(limited(0), 1, settings, lowest)).toBe(50);
    expect(retryDelayMs(limited(5_000), 1, settings, lowest)).toBe(5_000);
  });

  it('falls back at once when Retry-After is longer than the cap', () => {
    const limited = new ProviderError('rate_limited', 'HTTP 429', 429, undefined, 30_000);
    expect(retryDelayMs(limited, 1, settings, lowest)).toBeUndefined();
  });

  it('never retries with a single attempt configured', () => {
    expect(retryDelayMs(serverError, 1, { ...settings, maxAttempts: 1 }, lowest)).toBeUndefined();
  });
});
