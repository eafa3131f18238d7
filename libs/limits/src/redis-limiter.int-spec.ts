import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type AcquireResult, type LimitCheck } from './limit-check';
import { LimitStoreUnavailableError } from './limiter';
import { RedisLimiter } from './redis-limiter';

const redisUrl = process.env['AIGW_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const admin = new Redis(redisUrl);
const opened: RedisLimiter[] = [];
const prefixes: string[] = [];

/** Two limiters on one prefix behave like two policy replicas sharing Redis. */
async function replicas(count: number): Promise<RedisLimiter[]> {
  const keyPrefix = `aigw-test:${randomUUID()}:`;
  prefixes.push(keyPrefix);
  const limiters: RedisLimiter[] = [];
  for (let i = 0; i < count; i++) {
    const limiter = new RedisLimiter({ url: redisUrl, keyPrefix });
    expect(await limiter.connect()).toBe(true);
    opened.push(limiter);
    limiters.push(limiter);
  }
  return limiters;
}

let sequence = 0;
const acquire = (limiter: RedisLimiter, checks: LimitCheck[], leaseMs = 600_000) =>
  limiter.acquire(checks, { reservationId: `res-${++sequence}`, leaseMs });

const check = (
  metric: LimitCheck['metric'],
  scope: string,
  limit: number,
  amount = 1,
): LimitCheck => ({ metric, scope, limit, amount });

function reservationOf(result: AcquireResult) {
  if (!result.admitted) throw new Error(`refused by ${result.fired.check.metric}`);
  return result.reservation;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
});

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
  }
  admin.disconnect();
});

describe('RedisLimiter shared by two replicas', () => {
  it('admits exactly N of 200 concurrent requests against N per minute', async () => {
    const [a, b] = await replicas(2);
    const checks = [check('requests_per_minute', 'endpoint:chat', 37)];

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => acquire(i % 2 === 0 ? a! : b!, checks)),
    );

    expect(results.filter((result) => result.admitted)).toHaveLength(37);
    const refused = results.find((result) => !result.admitted);
    expect(refused).toMatchObject({
      admitted: false,
      fired: { check: { metric: 'requests_per_minute', scope: 'endpoint:chat' }, remaining: 0 },
    });
    const retry = refused && !refused.admitted ? refused.fired.retryAfterMs : 0;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60_000);
  });

  it('never lets concurrent budget reservations exceed the budget', async () => {
    const [a, b] = await replicas(2);
    // $0.01 budget in nano-dollars; each request may cost up to $0.000037 at worst.
    const budget = 10_000_000;
    const worstCase = 37_000;
    const checks = [check('usd_per_month', 'group:dev', budget, worstCase)];

    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => acquire(i % 2 === 0 ? a! : b!, checks)),
    );

    const admitted = results.filter((result) => result.admitted);
    expect(admitted).toHaveLength(Math.floor(budget / worstCase));
    const used = Math.max(...results.map((result) => result.statuses[0]!.used));
    expect(used).toBeLessThanOrEqual(budget);
  });
});

describe('RedisLimiter semantics', () => {
  it('lets the strictest limit win and reserves nothing on a refusal', async () => {
    const [limiter] = await replicas(1);
    const checks = [
      check('requests_per_minute', 'endpoint:chat', 10),
      check('requests_per_minute', 'principal:alice', 2),
    ];
    await acquire(limiter!, checks);
    await acquire(limiter!, checks);

    const third = await acquire(limiter!, checks);

    expect(third.admitted ? undefined : third.fired.check.scope).toBe('principal:alice');
    expect(third.statuses.map((status) => status.used)).toEqual([2, 2]);
    expect(third.statuses[0]).toMatchObject({ remaining: 8 });
  });

  it('reserves estimated tokens and settles to the actual count', async () => {
    const [limiter, other] = await replicas(2);
    const tokens = check('tokens_per_minute', 'principal:alice', 1000, 600);
    const first = reservationOf(await acquire(limiter!, [tokens]));
    expect((await acquire(limiter!, [tokens])).admitted).toBe(false);

    // Settled through the other replica, as a round-robin client would.
    await other!.settle(first, { tokens: 150, costNanoUsd: undefined });
    await other!.settle(first, { tokens: 150, costNanoUsd: undefined });

    const second = await acquire(limiter!, [tokens]);
    expect(second.statuses[0]).toMatchObject({ used: 750, remaining: 250 });
  });

  it('reserves worst-case cost, settles to the actual cost and releases on failure', async () => {
    const [limiter] = await replicas(1);
    const budget = (amount: number) => check('usd_per_day', 'principal:alice', 1000, amount);
    const first = reservationOf(await acquire(limiter!, [budget(600)]));
    expect(await acquire(limiter!, [budget(600)])).toMatchObject({
      admitted: false,
      fired: { used: 600, retryAfterMs: 1000 },
    });

    await limiter!.settle(first, { tokens: 10, costNanoUsd: 250 });
    const second = reservationOf(await acquire(limiter!, [budget(600)]));
    await limiter!.release(second);
    await limiter!.release(second);

    const after = await acquire(limiter!, [budget(700)]);
    expect(after.statuses[0]).toMatchObject({ used: 950, remaining: 50 });
    expect(after.statuses[0]!.resetMs).toBeGreaterThan(0);
    expect(after.statuses[0]!.resetMs).toBeLessThanOrEqual(86_400_000);
  });

  it('frees a concurrency slot nobody settled once its lease runs out', async () => {
    const [limiter] = await replicas(1);
    const slot = [check('concurrent_requests', 'principal:bot', 1)];
    const held = reservationOf(await acquire(limiter!, slot, 300));
    expect((await acquire(limiter!, slot, 300)).admitted).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 400));

    expect((await acquire(limiter!, slot, 300)).admitted).toBe(true);
    // The abandoned reservation's late settle does not free the new holder's slot.
    await limiter!.settle(held, { tokens: 1, costNanoUsd: 1 });
    expect((await acquire(limiter!, slot, 300)).admitted).toBe(false);
  });

  it('keeps a TTL on every counter key, also after a settle emptied a counter', async () => {
    const [limiter] = await replicas(1);
    const checks = [
      check('concurrent_requests', 'principal:bot', 5),
      check('usd_per_day', 'principal:bot', 1000, 10),
      check('requests_per_minute', 'principal:bot', 100),
    ];
    // Settling the only slot and budget reservation empties those counters' sorted sets.
    await limiter!.settle(reservationOf(await acquire(limiter!, checks)), {
      tokens: 1,
      costNanoUsd: 5,
    });
    reservationOf(await acquire(limiter!, checks));
    reservationOf(await acquire(limiter!, checks));

    const keys = await admin.keys(`${prefixes.at(-1)}*`);
    const counterKeys = keys.filter((key) => !key.includes(':settled:'));
    expect(counterKeys).toHaveLength(6);
    for (const key of counterKeys) {
      const ttl = await admin.pttl(key);
      expect({ key, expires: ttl > 0 }).toEqual({ key, expires: true });
    }
  });

  it('reloads its script after Redis forgot it', async () => {
    const [limiter] = await replicas(1);
    await acquire(limiter!, [check('requests_per_minute', 'endpoint:chat', 5)]);

    await admin.script('FLUSH');

    const next = await acquire(limiter!, [check('requests_per_minute', 'endpoint:chat', 5)]);
    expect(next.statuses[0]).toMatchObject({ used: 2 });
  });
});

describe('RedisLimiter without Redis', () => {
  it('fails fast with LimitStoreUnavailableError', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const limiter = new RedisLimiter({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'x:' });
    opened.push(limiter);
    expect(await limiter.connect()).toBe(false);

    await expect(
      acquire(limiter, [check('requests_per_minute', 'endpoint:chat', 5)]),
    ).rejects.toBeInstanceOf(LimitStoreUnavailableError);
  });
});
