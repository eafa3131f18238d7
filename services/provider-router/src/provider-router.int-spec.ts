import {
  type Envelope,
  PrincipalKind,
  type ProviderAttempted,
  type RequestContext,
  type RouteChunk,
  type RouteRequest,
  type RouteTarget,
} from '@aigw/contracts';
import { parseConfig, StaticConfigSource } from '@aigw/config';
import { type EventPublisher } from '@aigw/events';
import {
  estimateMockTokens,
  freePort,
  type OpenAiMock,
  type OpenAiMockFault,
  startOpenAiMock,
} from '@aigw/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderRouter } from './provider-router';

// Two real OpenAI mocks behind real OpenAiAdapter instances, built by the router from config.
const primaryKey = 'sk-primary';

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
  requestId: 'req-1',
  traceId: 'trace-1',
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

const question = 'Tell me a joke';
const echo = `echo: ${question}`;
const mockUsage = {
  promptTokens: estimateMockTokens(question),
  completionTokens: estimateMockTokens(echo),
  cachedTokens: 0,
  reasoningTokens: 0,
};

const target = (provider: string, model: string, priority?: number): RouteTarget => ({
  provider,
  model,
  weight: 1,
  priority,
});
const primary = target('primary', 'gpt-primary');
const secondary = target('secondary', 'gpt-secondary');
const impatient = target('impatient', 'gpt-primary');
const unreachable = target('unreachable', 'gpt-nowhere');

// gpt-primary is priced by `pricing.models` at $1000 / $2000 per 1M tokens: cents per token.
const primaryCost = String((mockUsage.promptTokens + 2 * mockUsage.completionTokens) / 1000);

function routeRequest(
  targets: RouteTarget[],
  body: Record<string, unknown> = {},
  maxOutputTokens = 0,
): RouteRequest {
  return {
    context,
    operation: 'chat.completions',
    targets,
    body: Buffer.from(
      JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: question }], ...body }),
    ),
    maxOutputTokens,
  };
}

async function collect(stream: AsyncIterable<RouteChunk>): Promise<RouteChunk[]> {
  const chunks: RouteChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

interface ChunkJson {
  choices: { delta: { content?: string } }[];
  usage?: unknown;
}

function dataOf(chunks: RouteChunk[]): ChunkJson[] {
  return chunks.flatMap((chunk) =>
    chunk.kind?.$case === 'data'
      ? [JSON.parse(chunk.kind.value.toString('utf8')) as ChunkJson]
      : [],
  );
}

function textOf(chunks: RouteChunk[]): string {
  return dataOf(chunks)
    .flatMap((chunk) => chunk.choices)
    .map((choice) => choice.delta.content ?? '')
    .join('');
}

describe('ProviderRouter against OpenAI mocks', () => {
  let primaryMock: OpenAiMock;
  let secondaryMock: OpenAiMock;
  let router: ProviderRouter;
  let events: CollectingPublisher;
  let configSource: StaticConfigSource;

  beforeAll(async () => {
    primaryMock = await startOpenAiMock({ apiKey: primaryKey });
    secondaryMock = await startOpenAiMock();
    const closedPort = await freePort();
    const config = parseConfig(
      `version: 1
runtime:
  egress:
    allow_private: [127.0.0.1]
providers:
  primary:
    type: openai
    base_url: ${primaryMock.baseUrl}
    api_key: \${PRIMARY_KEY}
    timeout_ms: 5000
  secondary:
    type: openai
    base_url: ${secondaryMock.baseUrl}
    timeout_ms: 5000
  impatient:
    type: openai
    base_url: ${primaryMock.baseUrl}
    api_key: \${PRIMARY_KEY}
    timeout_ms: 200
  unreachable:
    type: openai
    base_url: http://127.0.0.1:${closedPort}/v1
    timeout_ms: 5000
pricing:
  models:
    gpt-primary: { input: "1000", output: "2000" }
`,
      'router.int-spec.yaml',
      { PRIMARY_KEY: primaryKey },
    );
    events = new CollectingPublisher();
    configSource = new StaticConfigSource(config);
  });

  afterAll(async () => {
    await primaryMock?.close();
    await secondaryMock?.close();
  });

  beforeEach(() => {
    primaryMock.reset();
    secondaryMock.reset();
    events.envelopes.length = 0;
    // Circuit breakers live per router process: a fresh router per test starts them closed.
    router = new ProviderRouter(configSource, events);
  });

  describe('complete', () => {
    it('answers from the first target with its model, its credential and the usage', async () => {
      const response = await router.complete(routeRequest([primary, secondary]));

      expect(response).toMatchObject({
        status: 200,
        provider: 'primary',
        model: 'gpt-primary',
        attempts: 1,
        usage: mockUsage,
        error: undefined,
        costUsd: primaryCost,
      });
      const body = JSON.parse(response.body.toString('utf8')) as {
        model: string;
        choices: { message: { content: string } }[];
      };
      expect(body.model).toBe('gpt-primary');
      expect(body.choices[0]!.message.content).toBe(echo);
      expect(primaryMock.requests).toHaveLength(1);
      expect(primaryMock.requests[0]!.headers.authorization).toBe(`Bearer ${primaryKey}`);
      expect(primaryMock.chatRequests()[0]).toMatchObject({ model: 'gpt-primary', stream: false });
      expect(secondaryMock.requests).toHaveLength(0);
      expect(events.attempts()).toEqual([
        {
          attempt: 1,
          provider: 'primary',
          model: 'gpt-primary',
          status: 200,
          latencyMs: expect.any(Number),
          errorClass: '',
          fellBack: false,
          retried: false,
          backoffMs: 0,
        },
      ]);
    });

    it.each([
      { status: 429, errorClass: 'rate_limited' },
      { status: 500, errorClass: 'upstream_5xx' },
      { status: 503, errorClass: 'upstream_5xx' },
    ])(
      'retries the target once, then falls back to the next on HTTP $status',
      async ({ status, errorClass }) => {
        primaryMock.script({ kind: 'status', status }, { kind: 'status', status });

        const response = await router.complete(routeRequest([primary, secondary]));

        expect(response).toMatchObject({
          status: 200,
          provider: 'secondary',
          model: 'gpt-secondary',
          attempts: 3,
          usage: mockUsage,
        });
        expect(primaryMock.chatRequests()).toHaveLength(2);
        expect(secondaryMock.chatRequests()[0]).toMatchObject({ model: 'gpt-secondary' });
        expect(events.attempts()).toMatchObject([
          { attempt: 1, provider: 'primary', status, errorClass, retried: true, fellBack: false },
          { attempt: 2, provider: 'primary', status, errorClass, retried: false, fellBack: true },
          { attempt: 3, provider: 'secondary', status: 200, errorClass: '', fellBack: false },
        ]);
        // Default backoff: jittered between 50 and 100 ms before the second try.
        expect(events.attempts()[0]!.backoffMs).toBeGreaterThanOrEqual(50);
        expect(events.attempts()[0]!.backoffMs).toBeLessThanOrEqual(100);
      },
    );

    it("sends a budget's output cap upstream when the request names none, and cuts the answer there", async () => {
      const capped = await router.complete(routeRequest([primary], {}, 2));
      expect(primaryMock.chatRequests()[0]).toMatchObject({ max_completion_tokens: 2 });
      const body = JSON.parse(capped.body.toString('utf8')) as {
        choices: { finish_reason: string }[];
      };
      expect(body.choices[0]!.finish_reason).toBe('length');
      expect(capped.usage?.completionTokens).toBe(2);

      // The request's own limit wins; it was reserved as asked.
      await router.complete(routeRequest([primary], { max_tokens: 5 }, 2));
      expect(primaryMock.chatRequests()[1]).toMatchObject({ max_tokens: 5 });
      expect(primaryMock.chatRequests()[1]).not.toHaveProperty('max_completion_tokens');
    });

    it('serves from the same target when its retry succeeds', async () => {
      primaryMock.script({ kind: 'status', status: 503 });

      const response = await router.complete(routeRequest([primary, secondary]));

      expect(response).toMatchObject({ status: 200, provider: 'primary', attempts: 2 });
      expect(secondaryMock.requests).toHaveLength(0);
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'primary', status: 503, retried: true, fellBack: false },
        { attempt: 2, provider: 'primary', status: 200, retried: false, fellBack: false },
      ]);
    });

    it('falls back when nothing listens on the first target', async () => {
      const response = await router.complete(routeRequest([unreachable, secondary]));

      expect(response).toMatchObject({ status: 200, provider: 'secondary', attempts: 3 });
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'unreachable', status: 0, errorClass: 'connection', retried: true },
        {
          attempt: 2,
          provider: 'unreachable',
          status: 0,
          errorClass: 'connection',
          fellBack: true,
        },
        { attempt: 3, provider: 'secondary', status: 200, fellBack: false },
      ]);
    });

    it('falls back without a retry when the first target does not answer within its timeout', async () => {
      primaryMock.script({ kind: 'hang' });
      const started = Date.now();

      const response = await router.complete(routeRequest([impatient, secondary]));

      expect(response).toMatchObject({ status: 200, provider: 'secondary', attempts: 2 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(events.attempts()).toMatchObject([
        {
          attempt: 1,
          provider: 'impatient',
          status: 0,
          errorClass: 'timeout',
          retried: false,
          fellBack: true,
        },
        { attempt: 2, provider: 'secondary', status: 200, fellBack: false },
      ]);
    });

    it('returns a 400 from the provider with its body, without trying the next target', async () => {
      primaryMock.script({ kind: 'status', status: 400, message: 'messages[0] is too long' });

      const response = await router.complete(routeRequest([primary, secondary]));

      expect(response).toMatchObject({
        attempts: 1,
        provider: '',
        error: { code: 'upstream_rejected', httpStatus: 400 },
      });
      expect(JSON.parse(response.body.toString('utf8'))).toEqual({
        error: {
          message: 'messages[0] is too long',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      expect(secondaryMock.requests).toHaveLength(0);
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'primary', status: 400, errorClass: 'client_4xx', fellBack: false },
      ]);
    });

    it('reports the last failure when every target failed, without a fall-back on the last', async () => {
      const limited = { kind: 'status', status: 429 } as const;
      primaryMock.script(limited, limited);
      secondaryMock.script(limited, limited);

      const response = await router.complete(routeRequest([primary, secondary]));

      expect(response).toMatchObject({
        attempts: 4,
        error: { code: 'rate_limited', httpStatus: 429 },
        costUsd: '',
      });
      expect(response.body).toHaveLength(0);
      expect(
        events.attempts().map((attempt) => [attempt.provider, attempt.retried, attempt.fellBack]),
      ).toEqual([
        ['primary', true, false],
        ['primary', false, true],
        ['secondary', true, false],
        ['secondary', false, false],
      ]);
    });

    it('skips a target whose provider is not configured, and does not count it as a fall-back', async () => {
      primaryMock.script({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });

      const response = await router.complete(routeRequest([primary, target('retired', 'gpt-old')]));

      expect(response).toMatchObject({
        attempts: 2,
        error: { code: 'upstream_unavailable', httpStatus: 502 },
      });
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'primary', errorClass: 'upstream_5xx', retried: true },
        { attempt: 2, provider: 'primary', errorClass: 'upstream_5xx', fellBack: false },
      ]);
    });
  });

  describe('stream', () => {
    it('streams the answer between a start and an end carrying the usage', async () => {
      const chunks = await collect(
        router.stream(routeRequest([primary, secondary], { stream: true })),
      );

      expect(chunks[0]).toEqual({
        kind: { $case: 'start', value: { provider: 'primary', model: 'gpt-primary', attempts: 1 } },
      });
      expect(textOf(chunks)).toBe(echo);
      expect(chunks.at(-1)).toEqual({
        kind: { $case: 'end', value: { usage: mockUsage, error: undefined, costUsd: primaryCost } },
      });
      // The router asked for usage itself; the usage-only chunk is not the client's.
      expect(primaryMock.chatRequests()[0]).toMatchObject({
        model: 'gpt-primary',
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(dataOf(chunks).every((chunk) => chunk.choices.length > 0)).toBe(true);
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'primary', status: 200, errorClass: '', fellBack: false },
      ]);
    });

    it('passes the usage-only chunk to a client that asked for it', async () => {
      const chunks = await collect(
        router.stream(
          routeRequest([primary], { stream: true, stream_options: { include_usage: true } }),
        ),
      );

      const data = dataOf(chunks);
      expect(data.at(-1)).toMatchObject({
        choices: [],
        usage: {
          prompt_tokens: mockUsage.promptTokens,
          completion_tokens: mockUsage.completionTokens,
        },
      });
      expect(chunks.at(-1)?.kind).toEqual({
        $case: 'end',
        value: { usage: mockUsage, error: undefined, costUsd: primaryCost },
      });
    });

    it.each([
      { fault: 'HTTP 429', targets: [primary, secondary], errorClass: 'rate_limited' },
      { fault: 'HTTP 500', targets: [primary, secondary], errorClass: 'upstream_5xx' },
      {
        fault: 'a refused connection',
        targets: [unreachable, secondary],
        errorClass: 'connection',
      },
      { fault: 'a timeout', targets: [impatient, secondary], errorClass: 'timeout' },
    ])('fails over before the first chunk on $fault', async ({ targets, errorClass }) => {
      const fault = (behaviour: OpenAiMockFault) => primaryMock.script(behaviour, behaviour);
      if (errorClass === 'rate_limited') fault({ kind: 'status', status: 429 });
      if (errorClass === 'upstream_5xx') fault({ kind: 'status', status: 500 });
      if (errorClass === 'timeout') primaryMock.script({ kind: 'hang' });
      // Timeouts are not retried on the same target by default; the others are, once.
      const failedTries = errorClass === 'timeout' ? 1 : 2;

      const chunks = await collect(router.stream(routeRequest(targets, { stream: true })));

      expect(chunks[0]).toEqual({
        kind: {
          $case: 'start',
          value: { provider: 'secondary', model: 'gpt-secondary', attempts: failedTries + 1 },
        },
      });
      expect(textOf(chunks)).toBe(echo);
      expect(chunks.at(-1)?.kind).toEqual({
        $case: 'end',
        value: { usage: mockUsage, error: undefined, costUsd: '' },
      });
      const failed = { provider: targets[0]!.provider, errorClass };
      expect(events.attempts()).toMatchObject([
        ...(failedTries === 2 ? [{ ...failed, attempt: 1, retried: true, fellBack: false }] : []),
        { ...failed, attempt: failedTries, retried: false, fellBack: true },
        { attempt: failedTries + 1, provider: 'secondary', status: 200, fellBack: false },
      ]);
    });

    it('ends with an error, without trying the next target, when the stream drops mid-answer', async () => {
      primaryMock.script({ kind: 'drop-mid-stream', afterChunks: 2 });

      const chunks = await collect(
        router.stream(routeRequest([primary, secondary], { stream: true })),
      );

      expect(chunks[0]?.kind).toMatchObject({ $case: 'start', value: { provider: 'primary' } });
      expect(dataOf(chunks)).toHaveLength(2);
      expect(chunks.at(-1)).toEqual({
        kind: {
          $case: 'end',
          value: {
            usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0, reasoningTokens: 0 },
            error: {
              code: 'upstream_error',
              message: 'the provider stream ended early (connection)',
              httpStatus: 502,
            },
            // No usage was reported, so the cost is unknown rather than 0.
            costUsd: '',
          },
        },
      });
      expect(chunks).toHaveLength(4);
      expect(secondaryMock.requests).toHaveLength(0);
      expect(events.attempts()).toMatchObject([
        { attempt: 1, provider: 'primary', status: 200, fellBack: false },
      ]);
    });

    it('ends with a timeout error when the stream stalls after the first chunk', async () => {
      primaryMock.script({ kind: 'hang', afterChunks: 1 });

      const chunks = await collect(
        router.stream(routeRequest([impatient, secondary], { stream: true })),
      );

      expect(dataOf(chunks)).toHaveLength(1);
      expect(chunks.at(-1)?.kind).toMatchObject({
        $case: 'end',
        value: { error: { code: 'upstream_error', message: expect.stringContaining('timeout') } },
      });
      expect(secondaryMock.requests).toHaveLength(0);
    });

    it('answers a 400 with one error chunk, without trying the next target', async () => {
      primaryMock.script({ kind: 'status', status: 400 });

      const chunks = await collect(
        router.stream(routeRequest([primary, secondary], { stream: true })),
      );

      expect(chunks).toEqual([
        {
          kind: {
            $case: 'error',
            value: {
              code: 'upstream_rejected',
              message: 'provider answered HTTP 400',
              httpStatus: 400,
            },
          },
        },
      ]);
      expect(secondaryMock.requests).toHaveLength(0);
      expect(events.attempts()).toMatchObject([{ errorClass: 'client_4xx', fellBack: false }]);
    });

    it('answers one error chunk when every target failed', async () => {
      primaryMock.script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });

      const chunks = await collect(
        router.stream(routeRequest([primary, unreachable], { stream: true })),
      );

      expect(chunks).toEqual([
        {
          kind: {
            $case: 'error',
            value: {
              code: 'upstream_unavailable',
              message: 'no provider target could serve the request',
              httpStatus: 502,
            },
          },
        },
      ]);
      expect(
        events.attempts().map((attempt) => [attempt.errorClass, attempt.retried, attempt.fellBack]),
      ).toEqual([
        ['upstream_5xx', true, false],
        ['upstream_5xx', false, true],
        ['connection', true, false],
        ['connection', false, false],
      ]);
    });
  });
});
