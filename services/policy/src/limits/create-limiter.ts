import { type CompiledConfig } from '@aigw/config';
import { type Logger } from '@aigw/core';
import { type Limiter, limiterFor, type LimitStoreChoice } from '@aigw/limits';

export { type LimitStoreChoice } from '@aigw/limits';

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
  if (choice === 'config' && !redis) {
    logger.warn('runtime.redis is not set: rate limits and budgets are per policy replica');
  }
  return limiterFor(choice, redis, () =>
    logger.warn('Redis is not reachable yet; endpoints apply their fail_mode'),
  );
}
