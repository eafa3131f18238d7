import {
  AuthorizeOutcome,
  type AuthorizeRequest,
  type AuthorizeResponse,
  type Principal,
  SettleOutcome,
} from '@aigw/contracts';
import { parseConfig } from '@aigw/config';
import { createLogger } from '@aigw/core';
import { InMemoryLimiter } from '@aigw/limits';
import { describe, expect, it } from 'vitest';
import { LimitGate } from './limit-gate';
import { limitEventFields, withLimitDecision } from './limit-response';

const yaml = `version: 1
providers:
  mock: { type: mock }
  openai: { type: openai, base_url: "https://api.openai.com/v1" }
endpoints:
  chat:
    targets:
      - { provider: openai, model: gpt-4o-mini }
      - { provider: openai, model: gpt-4o }
    allow: { groups: [dev] }
    limits: { requests_per_minute: 100 }
    default_max_tokens: 1000
  tiny:
    targets: [{ provider: mock, model: m, price: { input: "1.00", output: "2.00" } }]
    allow: { groups: [dev] }
  free:
    targets: [{ provider: mock, model: m }]
    allow: { groups: [dev] }
principals:
  alice: { groups: [dev], limits: { requests_per_minute: 2, tokens_per_minute: 5000 } }
  bob: { groups: [dev] }
  carol: {}
groups:
  dev: { limits: { concurrent_requests: 50 } }
budgets:
  - { scope: user, name: alice, period: day, usd: "0.01" }
  - { scope: tag, tag: team, value: search, period: month, usd: "0.000005" }
`;

const config = parseConfig(yaml, 'limits.yaml', {});
const logger = createLogger({ service: 'policy-spec' });

function principal(id: string): Principal {
  return config.principals.get(id)!;
}

function admission(who: string, endpointName: string, overrides: Partial<AuthorizeRequest> = {}) {
  const endpoint = config.endpoints.get(endpointName)!;
  return {
    config,
    endpoint,
    principal: principal(who),
    routePlan: {
      endpoint: endpointName,
      targets: endpoint.config.targets.map((target) => ({
        provider: target.provider,
        model: target.model,
        weight: target.weight,
      })),
    },
    request: {
      requestId: 'r',
      traceId: 't',
      credentialSha256: '',
      endpoint: endpointName,
      operation: 'chat.completions',
      tags: {},
      bearerToken: '',
      estimatedPromptTokens: 1000,
      promptTokensUpperBound: 0,
      maxOutputTokens: 500,
      stream: false,
      ...overrides,
    },
  };
}

const allowed: AuthorizeResponse = {
  outcome: AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED,
  reason: '',
  principal: undefined,
  routePlan: { endpoint: 'chat', targets: [] },
  guardrailPlan: { request: [], response: [] },
  reservation: '',
  rateLimit: undefined,
  maxOutputTokens: 0,
};

describe('LimitGate.admit', () => {
  it('reserves every applicable limit and reports the tightest windows', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);

    const decision = await gate.admit(admission('alice', 'chat'));

    expect(decision).toMatchObject({
      kind: 'admitted',
      // endpoint rpm, alice rpm + tpm, group dev slots, alice's daily budget
      reserved: { checks: 5, tokens: 1500 },
      rateLimit: {
        requests: { limit: 2, remaining: 1, resetMs: 60_000 },
        tokens: { limit: 5000, remaining: 3500, resetMs: 60_000 },
        retryAfterMs: 0,
      },
    });
    // Worst case over the targets: gpt-4o at 2.50 in / 10.00 out per 1M = 0.0025 + 0.005.
    expect(decision.kind === 'admitted' && decision.reserved.costNanoUsd).toBe(7_500_000);
    const response = withLimitDecision(allowed, decision);
    expect(response.reservation).toMatch(/^r1\./);
  });

  it('refuses with RATE_LIMITED, naming the strictest limit, with a retry hint', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    await gate.admit(admission('alice', 'chat', { maxOutputTokens: 10 }));
    await gate.admit(admission('alice', 'chat', { maxOutputTokens: 10 }));

    const decision = await gate.admit(admission('alice', 'chat', { maxOutputTokens: 10 }));
    const response = withLimitDecision(allowed, decision);

    expect(response).toMatchObject({
      outcome: AuthorizeOutcome.AUTHORIZE_OUTCOME_RATE_LIMITED,
      reason: 'requests-per-minute limit of principal:alice reached',
      routePlan: undefined,
      reservation: '',
      rateLimit: { requests: { limit: 2, remaining: 0 } },
    });
    expect(response.rateLimit!.retryAfterMs).toBeGreaterThan(0);
    expect(limitEventFields(decision)).toMatchObject({
      limitMetric: 'requests_per_minute',
      limitScope: 'principal:alice',
      limitValue: 2,
      failMode: '',
      limitsChecked: 5,
    });
  });

  it('uses the endpoint output cap when the request sets no max_tokens', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    const decision = await gate.admit(admission('bob', 'chat', { maxOutputTokens: undefined }));
    expect(decision).toMatchObject({ kind: 'admitted', reserved: { tokens: 2000 } });
    // No budget applies to bob: the answer is not capped on the budget's behalf.
    expect(decision).toMatchObject({ outputCap: undefined });
  });

  it('caps the answer at the output a budget reserved for, when the request named none', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    const small = { estimatedPromptTokens: 10 };
    const uncapped = await gate.admit(
      admission('alice', 'tiny', { ...small, maxOutputTokens: undefined }),
    );
    // tiny has the default default_max_tokens.
    expect(uncapped).toMatchObject({ kind: 'admitted', outputCap: 4096 });
    expect(withLimitDecision(allowed, uncapped).maxOutputTokens).toBe(4096);
    // A request's own max_tokens is what was reserved: nothing to add.
    const own = await gate.admit(admission('alice', 'tiny', { ...small, maxOutputTokens: 10 }));
    expect(own).toMatchObject({ kind: 'admitted', outputCap: undefined });
    expect(withLimitDecision(allowed, own).maxOutputTokens).toBe(0);
  });

  it('applies a tag budget only to requests carrying that tag', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    // 1000 prompt + 500 output tokens at 1.00/2.00 per 1M = $0.002 > $0.000005.
    const tagged = await gate.admit(admission('bob', 'tiny', { tags: { team: 'search' } }));
    const other = await gate.admit(admission('bob', 'tiny', { tags: { team: 'ads' } }));

    expect(tagged).toMatchObject({
      kind: 'refused',
      fired: { check: { metric: 'usd_per_month', scope: 'tag:team=search' } },
    });
    // Only bob's group limit (concurrency) applies without the tag.
    expect(other).toMatchObject({ kind: 'admitted', reserved: { checks: 1 } });
  });

  it("reserves a budget's money on the prompt bound, tokens per minute on the estimate", async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    const estimateOnly = await gate.admit(
      admission('alice', 'tiny', { estimatedPromptTokens: 10, maxOutputTokens: 10 }),
    );
    const bounded = await gate.admit(
      admission('alice', 'tiny', {
        estimatedPromptTokens: 10,
        promptTokensUpperBound: 40,
        maxOutputTokens: 10,
      }),
    );
    // tiny: $1 / $2 per 1M tokens, so 1 000 / 2 000 nano-dollars per token.
    expect(estimateOnly).toMatchObject({
      reserved: { tokens: 20, costNanoUsd: 10 * 1000 + 10 * 2000 },
    });
    expect(bounded).toMatchObject({ reserved: { tokens: 20, costNanoUsd: 40 * 1000 + 10 * 2000 } });
  });

  it('settles to the actual cost so the budget admits more afterwards', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    const first = withLimitDecision(allowed, await gate.admit(admission('alice', 'chat')));
    // $0.0075 reserved of $0.01: a second worst case does not fit until the first settles.
    expect((await gate.admit(admission('bob', 'chat'))).kind).toBe('admitted');
    expect((await gate.admit(admission('alice', 'chat'))).kind).toBe('refused');

    const settled = await gate.settle({
      requestId: 'r',
      reservation: first.reservation,
      outcome: SettleOutcome.SETTLE_OUTCOME_COMPLETED,
      promptTokens: 900,
      completionTokens: 100,
      costUsd: '0.001',
    });

    expect(settled).toEqual({ settled: true });
    expect((await gate.admit(admission('alice', 'chat'))).kind).toBe('admitted');
  });

  it('does not settle a reservation it cannot read', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    expect(
      await gate.settle({
        requestId: 'r',
        reservation: 'r1.not-json',
        outcome: SettleOutcome.SETTLE_OUTCOME_FAILED,
        promptTokens: 0,
        completionTokens: 0,
        costUsd: '',
      }),
    ).toEqual({ settled: false });
  });

  it('checks nothing on an endpoint without limits for a principal without any', async () => {
    const gate = new LimitGate(new InMemoryLimiter(), logger);
    expect(await gate.admit(admission('carol', 'free'))).toEqual({ kind: 'unlimited' });
  });
});
