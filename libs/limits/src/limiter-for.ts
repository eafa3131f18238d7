import { InMemoryLimiter } from './in-memory-limiter';
import { type Limiter } from './limiter';
import { RedisLimiter } from './redis-limiter';

/** Where a process keeps its limit counters: memory, or what the config's runtime.redis says. */
export type LimitStoreChoice = 'memory' | 'config';

/** The `runtime.redis` settings a limiter needs. */
export interface LimiterRedisSettings {
  readonly url: string;
  readonly key_prefix: string;
  readonly command_timeout_ms: number;
}

/**
 * The limiter of one process: Redis under `<key_prefix>limits:` when asked to follow the config
 * and Redis is configured (every replica shares the counters), otherwise process memory.
 * `onUnreachable` runs when Redis does not answer the first connection attempt.
 */
export function limiterFor(
  choice: LimitStoreChoice,
  redis: LimiterRedisSettings | undefined,
  onUnreachable: () => void,
): Limiter {
  if (choice === 'memory' || !redis) return new InMemoryLimiter();
  const limiter = new RedisLimiter({
    url: redis.url,
    keyPrefix: `${redis.key_prefix}limits:`,
    commandTimeoutMs: redis.command_timeout_ms,
  });
  void limiter.connect().then((connected) => {
    if (!connected) onUnreachable();
  });
  return limiter;
}
