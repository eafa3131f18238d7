import { type CompiledConfig } from '@aigw/config';
import { type Logger } from '@aigw/core';
import { InMemoryLimiter, type Limiter, RedisLimiter } from '@aigw/limits';

/** Where a policy process keeps its limit counters. */
export type LimitStoreChoice = 'memory' | 'config';

/**
 * The limiter for this process: Redis when asked to follow the config and `runtime.redis` is
 * set (cluster mode, so every replica shares the counters), otherwise process memory.
 */
export function createLimiter(
  choice: LimitStoreChoice,
  config: CompiledConfig,
  logger: Logger,
): Limiter {
  const redis = config.raw.runtime.redis;
  if (choice === 'memory' || !redis) {
    if (choice === 'config') {
      logger.warn('runtime.redis is not set: rate limits and budgets are per policy replica');
    }
    return new InMemoryLimiter();
  }
  const limiter = new RedisLimiter({
    url: redis.url,
    keyPrefix: `${redis.key_prefix}limits:`,
    commandTimeoutMs: redis.command_timeout_ms,
  });
  void limiter.connect().then((connected) => {
    if (!connected) logger.warn('Redis is not reachable yet; endpoints apply their fail_mode');
  });
  return limiter;
}
