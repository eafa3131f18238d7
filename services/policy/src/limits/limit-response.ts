import { AuthorizeOutcome, type AuthorizeResponse, type PolicyDecided } from '@aigw/contracts';
import { type LimitDecision, usdOf } from './limit-gate';

/** The authorize response once the limits have decided an allowed request. */
export function withLimitDecision(
  response: AuthorizeResponse,
  decision: LimitDecision,
): AuthorizeResponse {
  switch (decision.kind) {
    case 'unlimited':
      return response;
    case 'admitted':
      return {
        ...response,
        reservation: decision.reservation,
        rateLimit: decision.rateLimit,
        maxOutputTokens: decision.outputCap ?? 0,
      };
    case 'refused': {
      const { check } = decision.fired;
      return {
        ...response,
        outcome: AuthorizeOutcome.AUTHORIZE_OUTCOME_RATE_LIMITED,
        reason: `${describeMetric(check.metric)} limit of ${check.scope} reached`,
        routePlan: undefined,
        guardrailPlan: undefined,
        reservation: '',
        rateLimit: decision.rateLimit,
      };
    }
    case 'store_unavailable':
      if (decision.failMode === 'fail_open') return response;
      return {
        ...response,
        outcome: AuthorizeOutcome.AUTHORIZE_OUTCOME_LIMITS_UNAVAILABLE,
        reason: 'rate limits cannot be checked right now',
        routePlan: undefined,
        guardrailPlan: undefined,
        reservation: '',
        rateLimit: { requests: undefined, tokens: undefined, retryAfterMs: 1000 },
      };
  }
}

type LimitEventFields = Pick<
  PolicyDecided,
  | 'limitMetric'
  | 'limitScope'
  | 'limitValue'
  | 'failMode'
  | 'reservedCostUsd'
  | 'reservedTokens'
  | 'limitsChecked'
  | 'retryAfterMs'
>;

const noLimitFields: LimitEventFields = {
  limitMetric: '',
  limitScope: '',
  limitValue: 0,
  failMode: '',
  reservedCostUsd: '',
  reservedTokens: 0,
  limitsChecked: 0,
  retryAfterMs: 0,
};

/** What policy.decided records about limits: what was reserved, and what refused or failed. */
export function limitEventFields(decision: LimitDecision | undefined): LimitEventFields {
  if (!decision || decision.kind === 'unlimited') return noLimitFields;
  const reserved = {
    ...noLimitFields,
    reservedCostUsd: usdOf(decision.reserved.costNanoUsd),
    reservedTokens: decision.reserved.tokens,
    limitsChecked: decision.reserved.checks,
  };
  switch (decision.kind) {
    case 'admitted':
      return reserved;
    case 'refused':
      return {
        ...reserved,
        limitMetric: decision.fired.check.metric,
        limitScope: decision.fired.check.scope,
        limitValue: decision.fired.check.limit,
        retryAfterMs: decision.fired.retryAfterMs,
      };
    case 'store_unavailable':
      return { ...reserved, failMode: decision.failMode };
  }
}

function describeMetric(metric: string): string {
  switch (metric) {
    case 'requests_per_minute':
      return 'requests-per-minute';
    case 'tokens_per_minute':
      return 'tokens-per-minute';
    case 'concurrent_requests':
      return 'concurrent-requests';
    case 'usd_per_day':
      return 'daily budget';
    default:
      return 'monthly budget';
  }
}
