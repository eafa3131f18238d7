import { type Principal } from '@aigw/contracts';
import {
  type BudgetConfig,
  type CompiledConfig,
  type CompiledEndpoint,
  type LimitsConfig,
} from '@aigw/config';
import { type LimitCheck, type LimitMetric } from '@aigw/limits';
import { parseUsd } from '@aigw/pricing';

/** The limits config of one load, indexed for per-request lookups. */
export interface LimitRules {
  readonly principals: ReadonlyMap<string, LimitsConfig>;
  readonly groups: ReadonlyMap<string, LimitsConfig>;
  readonly budgets: readonly CompiledBudget[];
  readonly leaseMs: number;
}

interface CompiledBudget {
  readonly config: BudgetConfig;
  readonly metric: LimitMetric;
  readonly nanoUsd: number;
}

/** What one request asks for, as the limits see it. */
export interface LimitDemand {
  readonly endpoint: CompiledEndpoint;
  readonly principal: Principal;
  readonly tags: Readonly<Record<string, string>>;
  /** Prompt estimate plus the output tokens the request may produce. */
  readonly tokens: number;
  /** Worst-case cost in nano-dollars. */
  readonly costNanoUsd: number;
}

const compiled = new WeakMap<CompiledConfig, LimitRules>();

/** The rules of a config, compiled once per config load. */
export function limitRulesOf(config: CompiledConfig): LimitRules {
  let rules = compiled.get(config);
  if (!rules) {
    const raw = config.raw;
    rules = {
      principals: new Map(
        Object.entries(raw.principals).flatMap(([id, principal]) =>
          principal.limits ? [[id, principal.limits] as const] : [],
        ),
      ),
      groups: new Map(
        Object.entries(raw.groups).flatMap(([group, settings]) =>
          settings.limits ? [[group, settings.limits] as const] : [],
        ),
      ),
      budgets: raw.budgets.map((budget) => ({
        config: budget,
        metric: budget.period === 'day' ? 'usd_per_day' : 'usd_per_month',
        nanoUsd: Number(parseUsd(budget.usd) ?? 0n),
      })),
      leaseMs: raw.runtime.limits.lease_seconds * 1000,
    };
    compiled.set(config, rules);
  }
  return rules;
}

/**
 * Every limit that applies to a request: the endpoint's, the principal's, each of its groups',
 * and the budgets of its user, groups, endpoint and request tags. When one scope has the same
 * metric twice (two budgets for the same user and period), the smaller limit is kept.
 */
export function limitChecksFor(rules: LimitRules, demand: LimitDemand): LimitCheck[] {
  const checks = new Map<string, LimitCheck>();
  const add = (check: LimitCheck) => {
    const key = `${check.metric}|${check.scope}`;
    const existing = checks.get(key);
    if (!existing || check.limit < existing.limit) checks.set(key, check);
  };
  const addLimits = (scope: string, limits: LimitsConfig | undefined) => {
    if (!limits) return;
    if (limits.requests_per_minute !== undefined) {
      add({ metric: 'requests_per_minute', scope, limit: limits.requests_per_minute, amount: 1 });
    }
    if (limits.tokens_per_minute !== undefined) {
      add({
        metric: 'tokens_per_minute',
        scope,
        limit: limits.tokens_per_minute,
        amount: demand.tokens,
      });
    }
    if (limits.concurrent_requests !== undefined) {
      add({ metric: 'concurrent_requests', scope, limit: limits.concurrent_requests, amount: 1 });
    }
  };
  const { endpoint, principal } = demand;
  addLimits(`endpoint:${endpoint.name}`, endpoint.config.limits);
  addLimits(`principal:${principal.id}`, rules.principals.get(principal.id));
  for (const group of principal.groups) addLimits(`group:${group}`, rules.groups.get(group));
  for (const budget of rules.budgets) {
    const scope = budgetScopeFor(budget.config, demand);
    if (scope === undefined) continue;
    add({ metric: budget.metric, scope, limit: budget.nanoUsd, amount: demand.costNanoUsd });
  }
  return [...checks.values()];
}

function budgetScopeFor(budget: BudgetConfig, demand: LimitDemand): string | undefined {
  switch (budget.scope) {
    case 'user':
      return budget.name === undefined || budget.name === demand.principal.id
        ? `user:${demand.principal.id}`
        : undefined;
    case 'group':
      return budget.name !== undefined && demand.principal.groups.includes(budget.name)
        ? `group:${budget.name}`
        : undefined;
    case 'endpoint':
      return budget.name === demand.endpoint.name ? `endpoint:${budget.name}` : undefined;
    case 'tag': {
      const value = budget.tag === undefined ? undefined : demand.tags[budget.tag];
      if (value === undefined) return undefined;
      if (budget.value !== undefined && budget.value !== value) return undefined;
      return `tag:${budget.tag}=${value}`;
    }
  }
}
