import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitBreakers } from './circuit-breaker';

const settings = { enabled: true, failureThreshold: 3, coolDownMs: 1_000 };

function failTimes(breaker: CircuitBreaker, times: number, at: number): void {
  for (let index = 0; index < times; index++) {
    expect(breaker.tryAcquire(at)).toBe(true);
    breaker.recordFailure(at);
  }
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and counts only consecutive failures', () => {
    const breaker = new CircuitBreaker(settings);
    failTimes(breaker, 2, 0);
    breaker.recordSuccess();
    failTimes(breaker, 2, 0);
    expect(breaker.current(0)).toBe('closed');
    expect(breaker.tryAcquire(0)).toBe(true);
  });

  it('opens after N consecutive failures and refuses calls during the cool-down', () => {
    const breaker = new CircuitBreaker(settings);
    failTimes(breaker, 3, 100);
    expect(breaker.current(100)).toBe('open');
    expect(breaker.tryAcquire(1_099)).toBe(false);
  });

  it('lets exactly one probe through after the cool-down, and closes when it succeeds', () => {
    const breaker = new CircuitBreaker(settings);
    failTimes(breaker, 3, 0);
    expect(breaker.current(1_000)).toBe('half_open');
    expect(breaker.tryAcquire(1_000)).toBe(true);
    expect(breaker.tryAcquire(1_001)).toBe(false);
    breaker.recordSuccess();
    expect(breaker.current(1_002)).toBe('closed');
    expect(breaker.tryAcquire(1_002)).toBe(true);
  });

  it('opens again for a full cool-down when the probe fails', () => {
    const breaker = new CircuitBreaker(settings);
    failTimes(breaker, 3, 0);
    expect(breaker.tryAcquire(1_500)).toBe(true);
    breaker.recordFailure(1_500);
    expect(breaker.current(1_500)).toBe('open');
    expect(breaker.tryAcquire(2_499)).toBe(false);
    expect(breaker.tryAcquire(2_500)).toBe(true);
  });

  it('lets the next probe through when a probe ended without a verdict', () => {
    const breaker = new CircuitBreaker(settings);
    failTimes(breaker, 3, 0);
    expect(breaker.tryAcquire(1_000)).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire(1_000)).toBe(true);
  });

  it('never refuses a call when disabled', () => {
    const breaker = new CircuitBreaker({ ...settings, enabled: false });
    failTimes(breaker, 10, 0);
    expect(breaker.tryAcquire(0)).toBe(true);
  });
});

describe('CircuitBreakers', () => {
  it('keeps one breaker per provider and model, its state surviving new settings', () => {
    const breakers = new CircuitBreakers();
    const primary = breakers.get('openai', 'gpt-4o', settings);
    failTimes(primary, 3, 0);
    expect(breakers.get('openai', 'gpt-4o', { ...settings, coolDownMs: 5_000 })).toBe(primary);
    expect(primary.tryAcquire(1_000)).toBe(false);
    expect(breakers.get('openai', 'gpt-4o-mini', settings).tryAcquire(0)).toBe(true);
  });
});
