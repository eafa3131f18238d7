import { type RouteTarget } from '@aigw/contracts';
import {
  type CircuitBreakerConfig,
  type CompiledConfig,
  type PriceConfig,
  type ProviderConfig,
  type RetryConfig,
} from '@aigw/config';
import { type ProviderErrorClass } from '../providers/provider-error';
import { type CircuitBreakerSettings } from './circuit-breaker';
import { type RetrySettings } from './retry-policy';

/** How the router treats one target: defaults ← provider ← target (endpoint config). */
export interface TargetSettings {
  readonly retry: RetrySettings;
  readonly breaker: CircuitBreakerSettings;
  readonly firstByteTimeoutMs?: number;
  readonly totalTimeoutMs?: number;
  /** The target's own price, when its config sets one. */
  readonly price?: PriceConfig;
}

const defaultRetry = {
  maxAttempts: 2,
  baseBackoffMs: 100,
  maxBackoffMs: 2_000,
  maxRetryAfterMs: 5_000,
  on: ['connection', 'rate_limited', 'upstream_5xx'] as ProviderErrorClass[],
};

const defaultBreaker: CircuitBreakerSettings = {
  enabled: true,
  failureThreshold: 5,
  coolDownMs: 30_000,
};

type TargetConfig = CompiledConfig['raw']['endpoints'][string]['targets'][number];

function retrySettings(provider?: RetryConfig, target?: RetryConfig): RetrySettings {
  return {
    maxAttempts: target?.max_attempts ?? provider?.max_attempts ?? defaultRetry.maxAttempts,
    baseBackoffMs:
      target?.base_backoff_ms ?? provider?.base_backoff_ms ?? defaultRetry.baseBackoffMs,
    maxBackoffMs: target?.max_backoff_ms ?? provider?.max_backoff_ms ?? defaultRetry.maxBackoffMs,
    maxRetryAfterMs:
      target?.max_retry_after_ms ?? provider?.max_retry_after_ms ?? defaultRetry.maxRetryAfterMs,
    on: new Set(target?.on ?? provider?.on ?? defaultRetry.on),
  };
}

function breakerSettings(
  provider?: CircuitBreakerConfig,
  target?: CircuitBreakerConfig,
): CircuitBreakerSettings {
  return {
    enabled: target?.enabled ?? provider?.enabled ?? defaultBreaker.enabled,
    failureThreshold:
      target?.failure_threshold ?? provider?.failure_threshold ?? defaultBreaker.failureThreshold,
    coolDownMs: target?.cool_down_ms ?? provider?.cool_down_ms ?? defaultBreaker.coolDownMs,
  };
}

function resolve(provider: ProviderConfig | undefined, target?: TargetConfig): TargetSettings {
  return {
    retry: retrySettings(provider?.retry, target?.retry),
    breaker: breakerSettings(provider?.circuit_breaker, target?.circuit_breaker),
    firstByteTimeoutMs: target?.timeouts?.first_byte_ms ?? provider?.timeouts?.first_byte_ms,
    totalTimeoutMs: target?.timeouts?.total_ms ?? provider?.timeouts?.total_ms,
    price: target?.price,
  };
}

/**
 * Settings per (endpoint, provider, model), resolved once per config load. A plan's target is
 * matched to the first target of its endpoint with the same provider and model; a target of no
 * endpoint (e.g. a guardrail judge model) gets its provider's settings.
 */
export class TargetSettingsResolver {
  private readonly cache = new WeakMap<CompiledConfig, Map<string, TargetSettings>>();

  settingsOf(config: CompiledConfig, endpoint: string, target: RouteTarget): TargetSettings {
    let resolved = this.cache.get(config);
    if (!resolved) {
      resolved = new Map();
      this.cache.set(config, resolved);
    }
    const key = `${endpoint}\u0000${target.provider}\u0000${target.model}`;
    let settings = resolved.get(key);
    if (!settings) {
      const configured = config.endpoints
        .get(endpoint)
        ?.config.targets.find(
          (candidate) => candidate.provider === target.provider && candidate.model === target.model,
        );
      settings = resolve(config.providers.get(target.provider), configured);
      resolved.set(key, settings);
    }
    return settings;
  }
}
