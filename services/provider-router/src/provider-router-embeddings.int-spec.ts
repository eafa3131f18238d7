import {
  type Envelope,
  type ProviderAttempted,
  type RouteRequest,
  type RouteTarget,
} from '@aigw/contracts';
import { parseConfig, StaticConfigSource } from '@aigw/config';
import { type EventPublisher } from '@aigw/events';
import {
  estimateMockTokens,
  freePort,
  mockEmbedding,
  type OpenAiMock,
  startOpenAiMock,
} from '@aigw/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderRouter } from './provider-router';

// Embeddings through the same FallbackRunner as chat, against a real OpenAI mock.
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

const target = (provider: string, model: string): RouteTarget => ({ provider, model, weight: 1 });
const upstream = target('upstream', 'text-embedding-3-small');
const unreachable = target('unreachable', 'text-embedding-3-small');
const chatOnly = target('claude', 'claude-3-5-haiku');
const builtIn = target('mock', 'mock-embed');
const texts = ['first text to embed', 'second'];

function embeddingsRequest(targets: RouteTarget[], body: Record<string, unknown> = {}) {
  return {
    context: {
      requestId: 'req-embed',
      traceId: 'trace-embed',
      principal: undefined,
      endpoint: 'vectors',
      tags: {},
    },
    operation: 'embeddings',
    targets,
    body: Buffer.from(JSON.stringify({ model: 'vectors', input: texts, ...body })),
    maxOutputTokens: 0,
  } satisfies RouteRequest;
}

interface EmbeddingsJson {
  model: string;
  data: { index: number; embedding: number[] | string }[];
  usage: { prompt_tokens: number };
}

describe('ProviderRouter embeddings', () => {
  let mock: OpenAiMock;
  let events: CollectingPublisher;
  let configSource: StaticConfigSource;
  let router: ProviderRouter;

  beforeAll(async () => {
    mock = await startOpenAiMock({ embeddingDimensions: 8 });
    configSource = new StaticConfigSource(
      parseConfig(
        `version: 1
runtime:
  egress:
    allow_private: [127.0.0.1]
providers:
  upstream: { type: openai, base_url: ${mock.baseUrl}, timeout_ms: 5000 }
  unreachable:
    type: openai
    base_url: http://127.0.0.1:${await freePort()}/v1
    retry: { max_attempts: 1 }
  claude: { type: anthropic, base_url: ${mock.baseUrl} }
  mock: { type: mock }
`,
        'router-embeddings.int-spec.yaml',
        {},
      ),
    );
  });

  afterAll(async () => {
    await mock?.close();
  });

  beforeEach(() => {
    mock.reset();
    events = new CollectingPublisher();
    router = new ProviderRouter(configSource, events);
  });

  it('falls back to the next target, passes base64 through untouched and costs input tokens', async () => {
    const response = await router.complete(
      embeddingsRequest([unreachable, upstream], { encoding_format: 'base64' }),
    );

    expect(response.error).toBeUndefined();
    expect(response).toMatchObject({ status: 200, provider: 'upstream', attempts: 2 });
    expect(mock.requests.map((request) => request.path)).toEqual(['/v1/embeddings']);
    expect(mock.requests[0]!.body).toEqual({
      model: 'text-embedding-3-small',
      input: texts,
      encoding_format: 'base64',
    });
    const body = JSON.parse(response.body.toString('utf8')) as EmbeddingsJson;
    const bytes = Buffer.from(body.data[1]!.embedding as string, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, 8))).toEqual(
      mockEmbedding('second', 8),
    );
    const tokens = texts.reduce((sum, text) => sum + estimateMockTokens(text), 0);
    expect(response.usage).toEqual({
      promptTokens: tokens,
      completionTokens: 0,
      cachedTokens: 0,
      reasoningTokens: 0,
    });
    // text-embedding-3-small: $0.02 per 1M input tokens.
    expect(Number(response.costUsd)).toBeCloseTo((tokens * 0.02) / 1_000_000, 12);
    expect(events.attempts().map((attempt) => [attempt.provider, attempt.errorClass])).toEqual([
      ['unreachable', 'connection'],
      ['upstream', ''],
    ]);
  });

  it('retries a 429 with the same machinery as chat', async () => {
    mock.script({ kind: 'status', status: 429, retryAfterSeconds: 0 });

    const response = await router.complete(embeddingsRequest([upstream]));

    expect(response).toMatchObject({ status: 200, provider: 'upstream', attempts: 2 });
    const body = JSON.parse(response.body.toString('utf8')) as EmbeddingsJson;
    expect(body.data[0]!.embedding).toEqual(mockEmbedding(texts[0]!, 8));
  });

  it('refuses on a provider without embeddings instead of calling it, and serves from the built-in mock', async () => {
    const refused = await router.complete(embeddingsRequest([chatOnly, upstream]));
    expect(refused.error).toMatchObject({ httpStatus: 400, code: 'upstream_rejected' });
    expect(refused.error?.message).toContain('does not serve embeddings');
    expect(mock.requests).toEqual([]);

    const served = await router.complete(embeddingsRequest([builtIn]));
    expect(served).toMatchObject({ status: 200, provider: 'mock', model: 'mock-embed' });
    expect(served.costUsd).toBe('0');
  });

  it('does not stream embeddings', async () => {
    const chunks = [];
    for await (const chunk of router.stream(embeddingsRequest([upstream]))) chunks.push(chunk);
    expect(chunks).toEqual([
      {
        kind: {
          $case: 'error',
          value: {
            code: 'invalid_request',
            message: 'embeddings cannot be streamed',
            httpStatus: 400,
          },
        },
      },
    ]);
  });
});
