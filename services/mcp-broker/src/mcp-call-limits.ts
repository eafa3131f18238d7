import { type Principal } from '@aigw/contracts';
import { type CompiledConfig } from '@aigw/config';
import { type Logger, uuidv7 } from '@aigw/core';
import {
  type LimitCheck,
  type Limiter,
  limiterFor,
  type LimitStoreChoice,
  LimitStoreUnavailableError,
} from '@aigw/limits';
import { type McpConnection } from './connection-directory';

/** Where a broker process keeps its call counters. */
export type McpLimitStoreChoice = LimitStoreChoice;

/**
 * The limiter for this broker: Redis when asked to follow the config and `runtime.redis` is set
 * (every replica shares the counters), otherwise process memory (standalone).
 */
export function createMcpLimiter(
  choice: McpLimitStoreChoice,
  config: CompiledConfig,
  logger: Logger,
): Limiter {
  return limiterFor(choice, config.raw.runtime.redis, () =>
    logger.warn('Redis is not reachable yet; MCP rate limits are not enforced'),
  );
}

/**
 * Per-connection and per-principal call rates of MCP connections (sliding 60-second windows of
 * @aigw/limits). A limit store that is down lets calls through: the audit still records them.
 */
export class McpCallLimits {
  constructor(
    private readonly limiter: Limiter,
    private readonly logger: Logger,
  ) {}

  /** A reason when a rate is exhausted (the call is refused), else undefined (it is counted). */
  async spend(connection: McpConnection, principal: Principal): Promise<string | undefined> {
    const budgets = connection.config.rate_limit;
    const checks: LimitCheck[] = [];
    if (budgets.per_connection) {
      checks.push({
        metric: 'requests_per_minute',
        scope: `mcp:${connection.name}`,
        limit: budgets.per_connection.requests_per_minute,
        amount: 1,
      });
    }
    if (budgets.per_principal) {
      checks.push({
        metric: 'requests_per_minute',
        scope: `mcp:${connection.name}:principal:${principal.id}`,
        limit: budgets.per_principal.requests_per_minute,
        amount: 1,
      });
    }
    if (checks.length === 0) return undefined;
    try {
      const result = await this.limiter.acquire(checks, {
        reservationId: uuidv7(),
        leaseMs: 60_000,
      });
      if (result.admitted) return undefined;
      const fired = result.fired.check;
      const whose = fired.scope.includes(':principal:') ? 'for you ' : '';
      return `Rate limit of MCP connection "${connection.name}" ${whose}reached: ${fired.limit} calls per minute.`;
    } catch (error) {
      if (!(error instanceof LimitStoreUnavailableError)) throw error;
      this.logger.warn('MCP rate limits not checked: the limit store is unavailable');
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.limiter.close();
  }
}
