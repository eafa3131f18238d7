import { describe, expect, it } from 'vitest';
import { InMemoryLimiter } from './in-memory-limiter';
import { type AcquireResult, type LimitCheck } from './limit-check';

const start = Date.UTC(2026, 10, 25, 12, 0, 0);

function setup() {
  let now = start;
  const limiter = new InMemoryLimiter(() => now);
  let sequence = 0;
  const acquire = (checks: LimitCheck[], leaseMs = 600_000) =>
    limiter.acquire(checks, { reservationId: `res-${++sequence}`, leaseMs });
  return {
    limiter,
    acquire,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const rpm = (scope: string, limit: number): LimitCheck => ({
  metric: 'requests_per_minute',
  scope,
  limit,
  amount: 1,
});
const tpm = (scope: string, limit: number, amount: number): LimitCheck => ({
  metric: 'tokens_per_minute',
  scope,
  limit,
  amount,
});
const slots = (scope: string, limit: number): LimitCheck => ({
  metric: 'concurrent_requests',
  scope,
  limit,
  amount: 1,
});
const daily = (scope: string, limit: number, amount: number): LimitCheck => ({
  metric: 'usd_per_day',
  scope,
  limit,
  amount,
});

function reservationOf(result: AcquireResult) {
  if (!result.admitted) throw new Error(`refused by ${result.fired.check.metric}`);
  return result.reservation;
}

describe('InMemoryLimiter requests per minute', () => {
  it('admits exactly the limit within a minute and names the limit that refused', async () => {
    const { acquire, advance } = setup();
    const admitted: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      admitted.push((await acquire([rpm('principal:alice', 3)])).admitted);
      advance(1000);
    }

    expect(admitted).toEqual([true, true, true, false, false]);
    const refused = await acquire([rpm('principal:alice', 3)]);
    expect(refused).toMatchObject({
      admitted: false,
      fired: {
        check: { metric: 'requests_per_minute', scope: 'principal:alice', limit: 3 },
        used: 3,
        remaining: 0,
      },
    });
    // The oldest request (t=0) leaves the window at t=60s; it is now t=5s.
    expect(refused.admitted ? 0 : refused.fired.retryAfterMs).toBe(55_000);
  });

  it('is a sliding window: a request frees its place 60 s after it was admitted', async () => {
    const { acquire, advance } = setup();
    await acquire([rpm('endpoint:chat', 2)]);
    advance(30_000);
    await acquire([rpm('endpoint:chat', 2)]);
    advance(29_999);
    expect((await acquire([rpm('endpoint:chat', 2)])).admitted).toBe(false);
    advance(1);
    expect((await acquire([rpm('endpoint:chat', 2)])).admitted).toBe(true);
    expect((await acquire([rpm('endpoint:chat', 2)])).admitted).toBe(false);
  });

  it('reports limit, remaining and reset after the reservation', async () => {
    const { acquire } = setup();
    const result = await acquire([rpm('endpoint:chat', 10)]);

    expect(result.statuses).toEqual([
      {
        check: rpm('endpoint:chat', 10),
        used: 1,
        remaining: 9,
        resetMs: 60_000,
        retryAfterMs: 0,
      },
    ]);
  });
});

describe('InMemoryLimiter with several limits', () => {
  it('lets the strictest limit win and reserves nothing anywhere on a refusal', async () => {
    const { acquire } = setup();
    const checks = [rpm('endpoint:chat', 10), rpm('principal:alice', 2), rpm('group:dev', 5)];
    await acquire(checks);
    await acquire(checks);

    const third = await acquire(checks);

    expect(third.admitted).toBe(false);
    expect(third.admitted ? undefined : third.fired.check.scope).toBe('principal:alice');
    // Refused atomically: the endpoint and group counters did not take the third request.
    expect(third.statuses.map((status) => status.used)).toEqual([2, 2, 2]);
    const bob = await acquire([rpm('endpoint:chat', 10), rpm('principal:bob', 2)]);
    expect(bob.statuses.map((status) => status.used)).toEqual([3, 1]);
  });

  it('names the limit that frees up last when several are exhausted', async () => {
    const { acquire, advance } = setup();
    await acquire([rpm('principal:alice', 1)]);
    advance(20_000);
    await acquire([rpm('group:dev', 1), slots('endpoint:chat', 5)]);

    const refused = await acquire([
      rpm('principal:alice', 1),
      rpm('group:dev', 1),
      slots('endpoint:chat', 5),
    ]);

    expect(refused.admitted ? undefined : refused.fired.check.scope).toBe('group:dev');
    expect(refused.admitted ? undefined : refused.fired.retryAfterMs).toBe(60_000);
  });
});

describe('InMemoryLimiter tokens per minute', () => {
  it('reserves the estimate, then settles to the tokens actually used', async () => {
    const { limiter, acquire } = setup();
    const first = reservationOf(await acquire([tpm('principal:alice', 1000, 600)]));
    expect((await acquire([tpm('principal:alice', 1000, 600)])).admitted).toBe(false);

    await limiter.settle(first, { tokens: 150, costNanoUsd: undefined });

    const second = await acquire([tpm('principal:alice', 1000, 600)]);
    expect(second.admitted).toBe(true);
    expect(second.statuses[0]).toMatchObject({ used: 750, remaining: 250 });
  });

  it('refuses a request larger than the whole limit', async () => {
    const { acquire } = setup();
    const result = await acquire([tpm('endpoint:chat', 1000, 1001)]);
    expect(result).toMatchObject({ admitted: false, fired: { used: 0, retryAfterMs: 60_000 } });
  });
});

describe('InMemoryLimiter dollar budgets', () => {
  it('reserves the worst case, settles to the actual cost, and releases on failure', async () => {
    const { limiter, acquire } = setup();
    const first = reservationOf(await acquire([daily('principal:alice', 1000, 600)]));

    const refused = await acquire([daily('principal:alice', 1000, 600)]);
    // Only a reservation in flight stands in the way: settling it may free room soon.
    expect(refused).toMatchObject({ admitted: false, fired: { used: 600, retryAfterMs: 1000 } });

    await limiter.settle(first, { tokens: 10, costNanoUsd: 250 });
    const second = reservationOf(await acquire([daily('principal:alice', 1000, 600)]));
    await limiter.release(second);

    const after = await acquire([daily('principal:alice', 1000, 700)]);
    expect(after.statuses[0]).toMatchObject({ used: 950, remaining: 50 });
  });

  it('refuses until the next UTC day once the spend is used up', async () => {
    const { limiter, acquire, advance } = setup();
    const first = reservationOf(await acquire([daily('tag:team=search', 1000, 900)]));
    await limiter.settle(first, { tokens: 0, costNanoUsd: 900 });

    const refused = await acquire([daily('tag:team=search', 1000, 200)]);
    expect(refused).toMatchObject({
      admitted: false,
      fired: { used: 900, resetMs: 12 * 3_600_000, retryAfterMs: 12 * 3_600_000 },
    });

    advance(12 * 3_600_000);
    expect((await acquire([daily('tag:team=search', 1000, 200)])).admitted).toBe(true);
  });

  it('keeps an unknown cost charged at the reserved worst case', async () => {
    const { limiter, acquire } = setup();
    const first = reservationOf(await acquire([daily('endpoint:chat', 1000, 400)]));
    await limiter.settle(first, { tokens: 10, costNanoUsd: undefined });

    const next = await acquire([daily('endpoint:chat', 1000, 100)]);
    expect(next.statuses[0]?.used).toBe(500);
  });
});

describe('InMemoryLimiter concurrency and abandoned reservations', () => {
  it('holds a slot per request in flight and frees it on settle or release', async () => {
    const { limiter, acquire } = setup();
    const first = reservationOf(await acquire([slots('principal:bot', 2)]));
    const second = reservationOf(await acquire([slots('principal:bot', 2)]));
    expect((await acquire([slots('principal:bot', 2)])).admitted).toBe(false);

    await limiter.settle(first, { tokens: 5, costNanoUsd: 5 });
    expect((await acquire([slots('principal:bot', 2)])).admitted).toBe(true);
    await limiter.release(second);
    expect((await acquire([slots('principal:bot', 2)])).admitted).toBe(true);
    expect((await acquire([slots('principal:bot', 2)])).admitted).toBe(false);
  });

  it('frees slots whose settle never came once the lease runs out; budgets stay charged', async () => {
    const { acquire, advance } = setup();
    await acquire([slots('principal:bot', 1), daily('principal:bot', 1000, 600)], 30_000);
    expect((await acquire([slots('principal:bot', 1)], 30_000)).admitted).toBe(false);

    advance(30_000);

    const later = await acquire([slots('principal:bot', 1), daily('principal:bot', 1000, 400)]);
    expect(later.admitted).toBe(true);
    expect(later.statuses.map((status) => status.used)).toEqual([1, 1000]);
  });

  it('settles a reservation once, however often it is settled', async () => {
    const { limiter, acquire } = setup();
    const checks = [slots('principal:bot', 5), tpm('principal:bot', 1000, 500)];
    const first = reservationOf(await acquire(checks));

    await limiter.settle(first, { tokens: 100, costNanoUsd: 0 });
    await limiter.settle(first, { tokens: 100, costNanoUsd: 0 });
    await limiter.release(first);

    const next = await acquire(checks);
    expect(next.statuses.map((status) => status.used)).toEqual([1, 600]);
  });
});
