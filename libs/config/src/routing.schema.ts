import { z } from 'zod';

/** Failure classes a target may be retried on (the router's provider error classes). */
export const retriableErrorClasses = [
  'connection',
  'timeout',
  'rate_limited',
  'upstream_5xx',
  'malformed_response',
] as const;

/**
 * Retries of one target before the router falls back to the next. Every field is optional:
 * a target's values win over its provider's, which win over the defaults.
 */
export const retrySchema = z.strictObject({
  /** Tries per target, the first included; 1 turns retries off. Default 2. */
  max_attempts: z.number().int().min(1).max(10).optional(),
  /** First backoff, doubled per retry, jittered. Default 100 ms. */
  base_backoff_ms: z.number().int().min(0).max(60_000).optional(),
  /** Cap on one backoff. Default 2000 ms. */
  max_backoff_ms: z.number().int().min(0).max(300_000).optional(),
  /** A longer `Retry-After` is not waited for: the router falls back at once. Default 5000 ms. */
  max_retry_after_ms: z.number().int().min(0).max(300_000).optional(),
  /** Which failures are retried. Default: connection, rate_limited, upstream_5xx. */
  on: z.array(z.enum(retriableErrorClasses)).optional(),
});

/** Per-target timeouts; the provider's `timeout_ms` stays the default first-byte timeout. */
export const targetTimeoutsSchema = z.strictObject({
  /** Until the response headers arrive. */
  first_byte_ms: z.number().int().min(1).max(600_000).optional(),
  /** The whole try, a streamed body included. Default: no limit beyond the client's. */
  total_ms: z.number().int().min(1).max(3_600_000).optional(),
});

/** Provider-wide timeouts; connect is per provider because the connection pool is. */
export const providerTimeoutsSchema = targetTimeoutsSchema.extend({
  /** TCP + TLS connect. Default 10000 ms. */
  connect_ms: z.number().int().min(1).max(120_000).optional(),
});

/** Per-target circuit breaker, state kept in memory per router process. */
export const circuitBreakerSchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** Consecutive failed tries that open it. Default 5. */
  failure_threshold: z.number().int().min(1).max(1000).optional(),
  /** How long it stays open before one probe is let through. Default 30000 ms. */
  cool_down_ms: z.number().int().min(1).max(3_600_000).optional(),
});

const usdPerMillion = z
  .union([z.string(), z.number().nonnegative()])
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .pipe(
    z
      .string()
      .regex(/^\d{1,12}(\.\d{1,9})?$/, 'must be a decimal USD amount per 1M tokens, e.g. "2.50"'),
  );

/** A model price in USD per 1M tokens; `cached_input` defaults to `input`. */
export const priceSchema = z.strictObject({
  input: usdPerMillion,
  output: usdPerMillion,
  cached_input: usdPerMillion.optional(),
});

/** Price overrides by model name, on top of the built-in table. */
export const pricingSchema = z
  .strictObject({ models: z.record(z.string().min(1), priceSchema).default({}) })
  .default({ models: {} });

/** What every provider type accepts besides its own fields. */
export const providerReliabilityFields = {
  retry: retrySchema.optional(),
  timeouts: providerTimeoutsSchema.optional(),
  circuit_breaker: circuitBreakerSchema.optional(),
};

/** What a target accepts besides provider, model and weight. */
export const targetRoutingFields = {
  /** Lower is tried first; equal priorities share load by weight. Default: list position. */
  priority: z.number().int().min(0).max(1000).optional(),
  retry: retrySchema.optional(),
  timeouts: targetTimeoutsSchema.optional(),
  circuit_breaker: circuitBreakerSchema.optional(),
  price: priceSchema.optional(),
};

export type RetryConfig = z.infer<typeof retrySchema>;
export type CircuitBreakerConfig = z.infer<typeof circuitBreakerSchema>;
export type PriceConfig = z.infer<typeof priceSchema>;
export type PricingConfig = z.infer<typeof pricingSchema>;
