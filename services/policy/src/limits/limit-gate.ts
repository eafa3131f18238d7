import {
  type AuthorizeRequest,
  type LimitWindow,
  type Principal,
  type RateLimitState,
  type RoutePlan,
  SettleOutcome,
  type SettleRequest,
  type SettleResponse,
} from '@aigw/contracts';
import { type CompiledConfig, type CompiledEndpoint } from '@aigw/config';
import { type Logger, uuidv7 } from '@aigw/core';
import {
  decodeReservation,
  encodeReservation,
  type LimitCheck,
  type Limiter,
  type LimitStatus,
  LimitStoreUnavailableError,
  type SettleActuals,
} from '@aigw/limits';
import { formatUsd, parseUsd } from '@aigw/pricing';
import { limitChecksFor, limitRulesOf } from './limit-rules';
import { WorstCaseCost } from './worst-case-cost';

/** How the limits decided one request. */
export type LimitDecision =
  | { readonly kind: 'unlimited' }
  | {
      readonly kind: 'admitted';
      readonly reservation: string;
      readonly rateLimit: RateLimitState | undefined;
      readonly reserved: ReservedDemand;
      /**
       * The output tokens a dollar budget reserved for when the request named no limit (the
       * endpoint's default_max_tokens): the call must be capped there so it cannot cost more.
       */
      readonly outputCap: number | undefined;
    }
  | {
      readonly kind: 'refused';
      readonly fired: LimitStatus;
      readonly rateLimit: RateLimitState;
      readonly reserved: ReservedDemand;
    }
  | {
      readonly kind: 'store_unavailable';
      readonly failMode: 'fail_open' | 'fail_closed';
      readonly reserved: ReservedDemand;
    };

/** What a request asked the limits for. */
export interface ReservedDemand {
  readonly checks: number;
  readonly tokens: number;
  readonly costNanoUsd: number;
}

export interface LimitAdmission {
  readonly config: CompiledConfig;
  readonly endpoint: CompiledEndpoint;
  readonly principal: Principal;
  readonly request: AuthorizeRequest;
  readonly routePlan: RoutePlan;
}

/**
 * Rate limits and budgets for the policy service: works out every limit that applies to a
 * request, reserves them all in one atomic acquire, and settles the reservation when the
 * ingress reports how the call ended.
 */
export class LimitGate {
  private readonly cost = new WorstCaseCost();
  private readonly lastWarned = new Map<string, number>();

  constructor(
    private readonly limiter: Limiter,
    private readonly logger: Logger,
  ) {}

  async admit(admission: LimitAdmission): Promise<LimitDecision> {
    const { config, endpoint, principal, request, routePlan } = admission;
    const rules = limitRulesOf(config);
    const promptTokens = request.estimatedPromptTokens;
    const outputTokens =
      request.operation === 'embeddings'
        ? 0
        : (request.maxOutputTokens ?? endpoint.config.default_max_tokens);
    const tokens = promptTokens + outputTokens;
    const hasBudgets = rules.budgets.length > 0;
    // Money reserves on what the prompt cannot exceed (when the ingress sent a bound), not on the
    // estimate: a prompt that tokenizes longer than estimated cannot take a budget past its limit.
    const costNanoUsd = hasBudgets
      ? this.cost.nanoUsdOf(
          config,
          endpoint.name,
          routePlan.targets,
          Math.max(promptTokens, request.promptTokensUpperBound),
          outputTokens,
        )
      : 0;
    const checks = limitChecksFor(rules, {
      endpoint,
      principal,
      tags: request.tags,
      tokens,
      costNanoUsd,
    });
    if (checks.length === 0) return { kind: 'unlimited' };
    const reserved: ReservedDemand = { checks: checks.length, tokens, costNanoUsd };
    try {
      const result = await this.limiter.acquire(checks, {
        // Own id, not the request id: a reservation id must never collide in a counter.
        reservationId: uuidv7(),
        leaseMs: rules.leaseMs,
      });
      if (!result.admitted) {
        return {
          kind: 'refused',
          fired: result.fired,
          rateLimit: rateLimitStateOf(result.statuses, result.fired.retryAfterMs) ?? {
            requests: undefined,
            tokens: undefined,
            retryAfterMs: result.fired.retryAfterMs,
          },
          reserved,
        };
      }
      const budgeted = checks.some(
        (check) => check.metric === 'usd_per_day' || check.metric === 'usd_per_month',
      );
      return {
        kind: 'admitted',
        reservation: encodeReservation(result.reservation),
        rateLimit: rateLimitStateOf(result.statuses, 0),
        reserved,
        outputCap:
          budgeted && outputTokens > 0 && request.maxOutputTokens === undefined
            ? outputTokens
            : undefined,
      };
    } catch (error) {
      if (!(error instanceof LimitStoreUnavailableError)) throw error;
      const failMode = endpoint.config.fail_mode === 'open' ? 'fail_open' : 'fail_closed';
      this.warnStoreDown(endpoint.name, failMode, error.message);
      return { kind: 'store_unavailable', failMode, reserved };
    }
  }

  async settle(request: SettleRequest): Promise<SettleResponse> {
    const reservation = decodeReservation(request.reservation);
    if (!reservation) return { settled: false };
    try {
      if (request.outcome === SettleOutcome.SETTLE_OUTCOME_COMPLETED) {
        await this.limiter.settle(reservation, completedActuals(request));
      } else {
        await this.limiter.settle(reservation, {
          tokens: request.promptTokens + request.completionTokens,
          costNanoUsd: nanoOf(request.costUsd) ?? 0,
        });
      }
      return { settled: true };
    } catch (error) {
      // The lease frees the slot and pending cost on its own; nothing else to do here.
      this.logger.warn('could not settle a limit reservation', {
        requestId: request.requestId,
        error: error instanceof Error ? error.message : String(error),
      });
      return { settled: false };
    }
  }

  close(): Promise<void> {
    return this.limiter.close();
  }

  /** Called by the host on shutdown (Nest lifecycle hook): drops the Redis connection. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** One warning per endpoint and fail mode every few seconds, not one per request. */
  private warnStoreDown(endpoint: string, failMode: string, error: string): void {
    const key = `${endpoint}|${failMode}`;
    const now = Date.now();
    if ((this.lastWarned.get(key) ?? 0) + warnEveryMs > now) return;
    this.lastWarned.set(key, now);
    this.logger.warn('limit store unavailable', { endpoint, failMode, error });
  }
}

const warnEveryMs = 10_000;

/** Decimal USD of a nano-dollar amount, for events. */
export function usdOf(nanoUsd: number): string {
  return formatUsd(BigInt(nanoUsd));
}

function completedActuals(request: SettleRequest): SettleActuals {
  const tokens = request.promptTokens + request.completionTokens;
  // No usage reported at all: keep the estimate rather than pretend nothing was used.
  return { tokens: tokens > 0 ? tokens : undefined, costNanoUsd: nanoOf(request.costUsd) };
}

function nanoOf(costUsd: string): number | undefined {
  if (costUsd === '') return undefined;
  const nano = parseUsd(costUsd);
  return nano === undefined ? undefined : Number(nano);
}

/** The tightest request and token windows, for the x-ratelimit-* headers. */
function rateLimitStateOf(
  statuses: readonly LimitStatus[],
  retryAfterMs: number,
): RateLimitState | undefined {
  const requests = tightest(statuses, 'requests_per_minute');
  const tokens = tightest(statuses, 'tokens_per_minute');
  if (!requests && !tokens && retryAfterMs === 0) return undefined;
  return { requests, tokens, retryAfterMs };
}

function tightest(
  statuses: readonly LimitStatus[],
  metric: LimitCheck['metric'],
): LimitWindow | undefined {
  let best: LimitStatus | undefined;
  for (const status of statuses) {
    if (status.check.metric !== metric) continue;
    if (!best || status.remaining < best.remaining) best = status;
  }
  return best
    ? { limit: best.check.limit, remaining: best.remaining, resetMs: best.resetMs }
    : undefined;
}
