import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Envelope,
  PrincipalKind,
  type ProviderAttempted,
  type RequestContext,
  type RouteRequest,
  type RouteTarget,
} from '@aigw/contracts';
import { parseConfig, StaticConfigSource } from '@aigw/config';
import { type EventPublisher } from '@aigw/events';
import { estimateMockTokens, type OpenAiMock, startOpenAiMock } from '@aigw/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderRouter, type ProviderRouterOptions } from './provider-router';

// Retries, Retry-After, timeouts, circuit breaking, weighted selection and cost against two
// real OpenAI mocks; targets' settings come from the `chat` endpoint and the providers.

class CollectingPublisher implements EventPublisher {
  readonly envelopes: Envelope[] = [];

  publish(envelope: Envelope): void {
    this.envelopes.push(envelope);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  attempts(): ProviderAttempted[] {
    return this.envelopes.flatMap((envelope) =>
      envelope.payload?.$case === 'providerAttempted' ? [envelope.payload.value] : [],
    );
  }
}

const context: RequestContext = {
  requestId: 'req-reliability',
  traceId: 'trace-reliability',
  principal: {
    id: 'alice',
    kind: PrincipalKind.PRINCIPAL_KIND_USER,
    groups: [],
    roles: [],
    tags: {},
  },
  endpoint: 'chat',
  tags: {},
};

const question = 'Is the primary up?';
const promptTokens = estimateMockTokens(question);
const completionTokens = estimateMockTokens(`echo: ${question}`);

const target = (provider: string, model: string, weight = 1, priority?: number): RouteTarget => ({
  provider,
  model,
  weight,
  priority,
});
const primary = target('primary', 'gpt-4o');
const secondary = target('secondary', 'gpt-secondary');
const fragile = target('fragile', 'gpt-4o');

function routeRequest(targets: RouteTarget[]): RouteRequest {
  return {
    context,
    operation: 'chat.completions',
    targets,
    body: Buffer.from(
      JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: question }] }),
    ),
    maxOutputTokens: 0,
  };
}

describe('ProviderRouter reliability and cost', () => {
  let primaryMock: OpenAiMock;
  let secondaryMock: OpenAiMock;
  let configSource: StaticConfigSource;
  let events: CollectingPublisher;
  let router: ProviderRouter;
  const newRouter = (options: ProviderRouterOptions = {}) =>
    new ProviderRouter(configSource, events, options);

  beforeAll(async () => {
    primaryMock = await startOpenAiMock();
    secondaryMock = await startOpenAiMock();
    const config = parseConfig(
      `version: 1
runtime:
  egress:
    allow_private: [127.0.0.1]
providers:
  primary:
    type: openai
    base_url: ${primaryMock.baseUrl}
    retry: { base_backoff_ms: 10, max_backoff_ms: 20, max_retry_after_ms: 2000 }
  secondary:
    type: openai
    base_url: ${secondaryMock.baseUrl}
  fragile:
    type: openai
    base_url: ${primaryMock.baseUrl}
    retry: { max_attempts: 1 }
    circuit_breaker: { failure_threshold: 2, cool_down_ms: 400 }
endpoints:
  chat:
    targets:
      - provider: secondary
        model: gpt-secondary
        price: { input: "1", output: "2", cached_input: "0.5" }
      - provider: primary
        model: gpt-slow
        timeouts: { total_ms: 300 }
      - provider: primary
        model: gpt-hangs
        timeouts: { first_byte_ms: 300 }
`,
      'router-reliability.int-spec.yaml',
      {},
    );
    configSource = new StaticConfigSource(config);
    events = new CollectingPublisher();
  });

  afterAll(async () => {
    await primaryMock?.close();
    await secondaryMock?.close();
  });

  beforeEach(() => {
    primaryMock.reset();
    secondaryMock.reset();
    events.envelopes.length = 0;
    router = newRouter();
  });

  describe('retries', () => {
    it('waits as long as Retry-After asks before retrying, then falls back to the secondary', async () => {
      const limited = { kind: 'status', status: 429, retryAfterSeconds: 1 } as const;
      primaryMock.script(limited, limited);
      const started = Date.now();

      const response = await router.complete(routeRequest([primary, secondary]));

      expect(response).toMatchObject({ status: 200, provider: 'secondary', attempts: 3 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(primaryMock.chatRequests()).toHaveLength(2);
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'primary', status: 429, retried: true, backoffMs: 1_000 },
        { attempt: 2, provider: 'primary', status: 429, retried: false, fellBack: true },
        { attempt: 3, provider: 'secondary', status: 200, errorClass: '' },
      ]);
    });

    it('falls back at once when Retry-After is longer than the router waits', async () => {
      primaryMock.script({ kind: 'status', status: 429, retryAfterSeconds: 30 });
      const started = Date.now();

      const response = await router.complete(routeRequest([primary, secondary]));

      expect(response).toMatchObject({ status: 200, provider: 'secondary', attempts: 2 });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(events.attempts()).toMatchObject([
        {
          provider: 'primary',
          status: 429,
          errorClass: 'rate_limited',
          retried: false,
          fellBack: true,
        },
        { provider: 'secondary', status: 200 },
      ]);
    });
  });

  describe('timeouts', () => {
    it('gives up on a target that sends no headers within its first-byte timeout', async () => {
      primaryMock.script({ kind: 'hang' });
      const started = Date.now();

      const response = await router.complete(
        routeRequest([target('primary', 'gpt-hangs'), secondary]),
      );

      expect(response).toMatchObject({ status: 200, provider: 'secondary', attempts: 2 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(events.attempts()).toMatchObject([
        {
          provider: 'primary',
          model: 'gpt-hangs',
          status: 0,
          errorClass: 'timeout',
          fellBack: true,
        },
        { provider: 'secondary', status: 200 },
      ]);
    });

    it('gives up on a target whose whole try exceeds its total timeout', async () => {
      primaryMock.script({ kind: 'delay', ms: 2_000 });
      const started = Date.now();

      const response = await router.complete(
        routeRequest([target('primary', 'gpt-slow'), secondary]),
      );

      expect(response).toMatchObject({ status: 200, provider: 'secondary', attempts: 2 });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(events.attempts()[0]).toMatchObject({
        model: 'gpt-slow',
        errorClass: 'timeout',
        fellBack: true,
      });
      expect(events.attempts()[0]!.latencyMs).toBeLessThan(1_000);
    });
  });

  describe('circuit breaker', () => {
    it('opens after N failures, skips the target without calling it, and closes after recovery', async () => {
      primaryMock.script({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });

      // Two failed tries (retries are off for fragile) open its breaker.
      for (let request = 0; request < 2; request++) {
        const response = await router.complete(routeRequest([fragile, secondary]));
        expect(response).toMatchObject({ status: 200, provider: 'secondary' });
      }
      expect(primaryMock.chatRequests()).toHaveLength(2);
      events.envelopes.length = 0;

      const whileOpen = await router.complete(routeRequest([fragile, secondary]));

      expect(whileOpen).toMatchObject({ status: 200, provider: 'secondary', attempts: 2 });
      expect(primaryMock.chatRequests()).toHaveLength(2);
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'fragile', status: 0, errorClass: 'circuit_open', fellBack: true },
        { attempt: 2, provider: 'secondary', status: 200 },
      ]);
      const onlyFragile = await router.complete(routeRequest([fragile]));
      expect(onlyFragile).toMatchObject({
        attempts: 1,
        error: { code: 'upstream_unavailable', httpStatus: 503 },
      });
      expect(primaryMock.chatRequests()).toHaveLength(2);

      // After the cool-down one probe goes through; the mock has recovered, so it closes.
      await sleep(450);
      events.envelopes.length = 0;
      const probe = await router.complete(routeRequest([fragile, secondary]));
      const closed = await router.complete(routeRequest([fragile, secondary]));

      expect(probe).toMatchObject({ status: 200, provider: 'fragile', attempts: 1 });
      expect(closed).toMatchObject({ status: 200, provider: 'fragile', attempts: 1 });
      expect(primaryMock.chatRequests()).toHaveLength(4);
      expect(events.attempts().map((attempt) => [attempt.provider, attempt.errorClass])).toEqual([
        ['fragile', ''],
        ['fragile', ''],
      ]);
    });

    it('opens again when the half-open probe fails', async () => {
      const failing = { kind: 'status', status: 503 } as const;
      primaryMock.script(failing, failing, failing);
      await router.complete(routeRequest([fragile, secondary]));
      await router.complete(routeRequest([fragile, secondary]));
      await sleep(450);

      await router.complete(routeRequest([fragile, secondary]));
      events.envelopes.length = 0;
      const afterProbe = await router.complete(routeRequest([fragile, secondary]));

      expect(primaryMock.chatRequests()).toHaveLength(3);
      expect(afterProbe).toMatchObject({ provider: 'secondary' });
      expect(events.attempts()[0]).toMatchObject({
        provider: 'fragile',
        errorClass: 'circuit_open',
      });
    });

    it('keeps breaker state per router process', async () => {
      primaryMock.script({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
      await router.complete(routeRequest([fragile, secondary]));
      await router.complete(routeRequest([fragile, secondary]));

      const fresh = await newRouter().complete(routeRequest([fragile, secondary]));

      expect(fresh).toMatchObject({ provider: 'fragile', attempts: 1 });
    });
  });

  describe('weighted load balancing', () => {
    it('picks among equal priorities by weight, and falls back inside the group first', async () => {
      const heavy = target('primary', 'gpt-4o', 3, 0);
      const light = target('secondary', 'gpt-secondary', 1, 0);
      const backup = target('fragile', 'gpt-4o', 1, 1);

      const toLight = await newRouter({ random: () => 0.9 }).complete(
        routeRequest([heavy, light, backup]),
      );
      const toHeavy = await newRouter({ random: () => 0.1 }).complete(
        routeRequest([heavy, light, backup]),
      );
      secondaryMock.script({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
      events.envelopes.length = 0;
      const lightFails = await newRouter({ random: () => 0.9 }).complete(
        routeRequest([heavy, light, backup]),
      );

      expect(toLight).toMatchObject({ provider: 'secondary', attempts: 1 });
      expect(toHeavy).toMatchObject({ provider: 'primary', attempts: 1 });
      expect(lightFails).toMatchObject({ provider: 'primary', attempts: 3 });
      expect(events.attempts().map((attempt) => attempt.provider)).toEqual([
        'secondary',
        'secondary',
        'primary',
      ]);
    });
  });

  describe('cost', () => {
    it('prices a listed model from the built-in table', async () => {
      const response = await router.complete(routeRequest([primary]));

      // gpt-4o: $2.50 input, $10 output per 1M tokens.
      const expected = (promptTokens * 2.5 + completionTokens * 10) / 1_000_000;
      expect(Number(response.costUsd)).toBeCloseTo(expected, 12);
      expect(response.costUsd).toMatch(/^\d+\.\d{1,9}$/);
    });

    it("prices a target by its own `price` from the endpoint's config", async () => {
      const response = await router.complete(routeRequest([secondary]));

      expect(response.costUsd).toBe(String((promptTokens * 1 + completionTokens * 2) / 1_000_000));
      expect(events.envelopes.some((envelope) => envelope.type === 'cost.unknown')).toBe(false);
    });

    it('leaves the cost empty and warns with cost.unknown for a model without a price', async () => {
      const response = await router.complete(routeRequest([target('primary', 'gpt-mystery')]));

      expect(response).toMatchObject({ status: 200, costUsd: '' });
      const warnings = events.envelopes.filter((envelope) => envelope.type === 'cost.unknown');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.payload).toEqual({
        $case: 'costUnknown',
        value: { provider: 'primary', model: 'gpt-mystery' },
      });
      expect(warnings[0]!.requestId).toBe(context.requestId);
    });
  });
});
