import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { acquireResultOf, type CounterReading, planCounters } from './counter-plan';
import {
  type AcquireOptions,
  type AcquireResult,
  counterKindOf,
  type LimitCheck,
  type Reservation,
  type SettleActuals,
  slidingWindowMs,
} from './limit-check';
import { type Limiter, LimitStoreUnavailableError } from './limiter';
import { acquireScript, kindCode, settleScript } from './redis-scripts';

export interface RedisLimiterOptions {
  /** `redis://host:port/db` (or `rediss://`). */
  readonly url: string;
  /** Prepended to every key, so several gateways (or tests) can share one Redis. */
  readonly keyPrefix: string;
  /** A command not answered within this time fails, and the endpoint's fail_mode decides. */
  readonly commandTimeoutMs?: number;
}

const connectTimeoutMs = 2000;
/** Connection states before the first `ready`: worth waiting for rather than refusing. */
const initialStatuses = new Set(['wait', 'connecting', 'connect']);

interface LoadedScript {
  readonly source: string;
  readonly sha: string;
}

function loaded(source: string): LoadedScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Limits shared by every policy replica through Redis: one Lua script per acquire (EVALSHA,
 * falling back to EVAL when Redis has not cached the script yet) checks and reserves every
 * counter atomically. While Redis is unreachable, calls fail at once with
 * LimitStoreUnavailableError instead of queueing.
 */
export class RedisLimiter implements Limiter {
  private readonly redis: Redis;
  private readonly acquireLua = loaded(acquireScript);
  private readonly settleLua = loaded(settleScript);
  private connecting: Promise<boolean> | undefined;
  private connectedOnce = false;

  constructor(private readonly options: RedisLimiterOptions) {
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      connectTimeout: connectTimeoutMs,
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    });
    // Connection errors surface per command; without a listener ioredis would log each retry.
    this.redis.on('error', () => undefined);
  }

  /** Connects; resolves false (and keeps retrying in the background) when Redis is down. */
  connect(): Promise<boolean> {
    this.connecting ??= this.redis.connect().then(
      () => (this.connectedOnce = true),
      () => false,
    );
    return this.connecting;
  }

  async acquire(checks: readonly LimitCheck[], options: AcquireOptions): Promise<AcquireResult> {
    // Redis measures the windows; this clock only picks the UTC budget period.
    const planned = planCounters(checks, Date.now(), options.leaseMs);
    const keys: string[] = [];
    const args: (string | number)[] = [
      options.reservationId,
      options.leaseMs,
      slidingWindowMs,
      planned.length,
    ];
    for (const counter of planned) {
      keys.push(this.hashKey(counter.key), this.expiryKey(counter.key));
      args.push(
        kindCode[counter.kind],
        counter.check.limit,
        counter.check.amount,
        counter.periodResetMs,
        counter.keyTtlMs,
        counter.check.metric === 'tokens_per_minute' ? 0 : 1,
      );
    }
    const reply = await this.run(this.acquireLua, keys, args);
    if (!Array.isArray(reply) || reply.length !== 1 + planned.length * 3) {
      throw new LimitStoreUnavailableError('unexpected reply from the limits script');
    }
    const numbers = reply.map(Number);
    const readings: CounterReading[] = planned.map((_, index) => ({
      used: numbers[1 + index * 3]!,
      resetMs: numbers[2 + index * 3]!,
      retryAfterMs: numbers[3 + index * 3]!,
    }));
    return acquireResultOf(planned, readings, numbers[0] === 1, options.reservationId);
  }

  async settle(reservation: Reservation, actuals: SettleActuals): Promise<void> {
    if (reservation.counters.length === 0) return;
    // Token entries stay in their window after a settle; the marker outlives them.
    const keys: string[] = [`${this.options.keyPrefix}settled:${reservation.id}`];
    const args: (string | number)[] = [
      reservation.id,
      slidingWindowMs,
      reservation.counters.length,
    ];
    for (const counter of reservation.counters) {
      const kind = counterKindOf(counter.metric);
      keys.push(this.hashKey(counter.key), this.expiryKey(counter.key));
      const actual =
        kind === 'budget'
          ? actuals.costNanoUsd
          : counter.metric === 'tokens_per_minute'
            ? actuals.tokens
            : undefined;
      args.push(
        kindCode[kind],
        actual ?? -1,
        counter.metric === 'tokens_per_minute' || kind === 'budget' ? 1 : 0,
      );
    }
    await this.run(this.settleLua, keys, args);
  }

  release(reservation: Reservation): Promise<void> {
    return this.settle(reservation, { tokens: 0, costNanoUsd: 0 });
  }

  close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }

  private async firstConnection(): Promise<void> {
    const timeoutMs = connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.connect(),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  private hashKey(key: string): string {
    return `${this.options.keyPrefix}${key}`;
  }

  private expiryKey(key: string): string {
    return `${this.options.keyPrefix}${key}:exp`;
  }

  private async run(
    script: LoadedScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      // Before the first connection is up, wait for it (bounded) rather than refuse at start-up;
      // once connected, a lost connection fails fast and the endpoint's fail_mode decides.
      if (!this.connectedOnce && initialStatuses.has(this.redis.status)) {
        await this.firstConnection();
      }
      try {
        return await this.redis.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await this.redis.eval(script.source, keys.length, ...keys, ...args);
      }
    } catch (error) {
      throw new LimitStoreUnavailableError(
        `the limits store did not answer: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
}
