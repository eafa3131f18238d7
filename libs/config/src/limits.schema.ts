import { z } from 'zod';

/**
 * Rate limits of one scope (an endpoint, a principal, or a group shared by its members).
 * Requests and tokens count over a sliding 60-second window; tokens are prompt plus output
 * tokens (reserved as estimate + max_tokens, settled to the actual usage).
 */
export const limitsSchema = z.strictObject({
  requests_per_minute: z.number().int().min(1).max(100_000_000).optional(),
  tokens_per_minute: z.number().int().min(1).max(1_000_000_000_000).optional(),
  concurrent_requests: z.number().int().min(1).max(1_000_000).optional(),
});

/** Budgets are counted in nano-dollars, exact up to this many dollars per period. */
export const maxBudgetUsd = 1_000_000;

const budgetUsd = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(
    z
      .string()
      .regex(/^\d{1,7}(\.\d{1,9})?$/, 'must be a decimal USD amount, e.g. "25.00"')
      .refine((value) => Number(value) <= maxBudgetUsd, `must be at most ${maxBudgetUsd}`),
  );

const budgetName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-"');

/**
 * A dollar budget per UTC day or month. `user` is any principal (user or service); without a
 * name every principal gets a budget of its own. `tag` matches the request tag `tag`
 * (`x-aigw-tags`); with `value` only that value, without it each value on its own.
 */
export const budgetSchema = z
  .strictObject({
    scope: z.enum(['user', 'group', 'endpoint', 'tag']),
    name: budgetName.optional(),
    tag: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be a request tag key')
      .optional(),
    value: z
      .string()
      .regex(/^[A-Za-z0-9_.:/@+-]{1,128}$/, 'must be a request tag value')
      .optional(),
    period: z.enum(['day', 'month']),
    usd: budgetUsd,
  })
  .superRefine((budget, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (budget.scope === 'tag') {
      if (budget.tag === undefined) problem('tag', 'a tag budget needs the tag key');
      if (budget.name !== undefined) problem('name', 'a tag budget has a tag, not a name');
      return;
    }
    if (budget.tag !== undefined) problem('tag', `a ${budget.scope} budget has no tag`);
    if (budget.value !== undefined) problem('value', `a ${budget.scope} budget has no value`);
    if (budget.scope !== 'user' && budget.name === undefined) {
      problem('name', `a ${budget.scope} budget needs the ${budget.scope} name`);
    }
  });

/** What an endpoint adds for limits: its own limits, what to do without Redis, the output cap. */
export const endpointLimitFields = {
  limits: limitsSchema.optional(),
  /** When the limit store (Redis) is unreachable: refuse (503) or admit without limits. */
  fail_mode: z.enum(['closed', 'open']).default('closed'),
  /** Output tokens reserved and priced for a request that sends no max_tokens. */
  default_max_tokens: z.number().int().min(1).max(1_000_000).default(4096),
};

/** A group: limits shared by all its members together. */
export const groupSchema = z.strictObject({
  limits: limitsSchema.optional(),
});

/** How long a reservation is held when its settle never arrives. */
export const limitsRuntimeSchema = z
  .strictObject({
    lease_seconds: z.number().int().min(1).max(86_400).default(600),
  })
  .prefault({});

export type LimitsConfig = z.infer<typeof limitsSchema>;
export type BudgetConfig = z.infer<typeof budgetSchema>;
export type GroupConfig = z.infer<typeof groupSchema>;
