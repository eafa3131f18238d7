import OpenAI, {
  APIConnectionTimeoutError,
  APIError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import { type ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiMock } from './openai-mock-server';
import { type OpenAiMock } from './openai-mock.types';

const apiKey = 'test-key';
const question = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'a b c d' }],
};

describe('OpenAI mock fault injection, through the official SDK', () => {
  let mock: OpenAiMock;
  let client: OpenAI;

  beforeEach(async () => {
    mock = await startOpenAiMock({ apiKey });
    client = new OpenAI({ baseURL: mock.baseUrl, apiKey, maxRetries: 0, logLevel: 'off' });
  });
  afterEach(() => mock.close());

  async function collect(stream: AsyncIterable<ChatCompletionChunk>, into: ChatCompletionChunk[]) {
    for await (const chunk of stream) into.push(chunk);
  }

  it('surfaces a scripted 429 as RateLimitError with Retry-After, then answers normally', async () => {
    mock.script({ kind: 'status', status: 429, retryAfterSeconds: 7 });

    const error = await client.chat.completions.create(question).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    expect((error as RateLimitError).headers.get('retry-after')).toBe('7');
    const next = await client.chat.completions.create(question);
    expect(next.choices[0]!.message.content).toBe('echo: a b c d');
  });

  it.each([500, 503])('surfaces a scripted %i as a server error', async (status) => {
    mock.script({ kind: 'status', status });

    const error = await client.chat.completions.create(question).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status, type: 'server_error' });
  });

  it('takes faults in order, each by one request, and only on their path', async () => {
    mock.script(
      { kind: 'status', status: 500, path: '/v1/chat/completions' },
      { kind: 'reply', content: 'second' },
    );

    await client.models.list();
    await expect(client.chat.completions.create(question)).rejects.toBeInstanceOf(APIError);
    const second = await client.chat.completions.create(question);

    expect(second.choices[0]!.message.content).toBe('second');
    expect(mock.pendingFaults).toBe(0);
  });

  it('hangs until the SDK times out', async () => {
    mock.script({ kind: 'hang' });
    const impatient = new OpenAI({ baseURL: mock.baseUrl, apiKey, maxRetries: 0, timeout: 200 });

    const started = Date.now();
    const error = await impatient.chat.completions
      .create(question)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('stalls a stream after the scripted number of chunks', async () => {
    mock.script({ kind: 'hang', afterChunks: 2 });
    const stream = await client.chat.completions.create({ ...question, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    const reading = collect(stream, chunks);

    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(chunks).toHaveLength(2);
    stream.controller.abort();
    await reading;
    expect(chunks).toHaveLength(2);
  });

  it('drops the connection mid-stream, failing the SDK stream after the first chunks', async () => {
    mock.script({ kind: 'drop-mid-stream', afterChunks: 3 });
    const stream = await client.chat.completions.create({ ...question, stream: true });
    const chunks: ChatCompletionChunk[] = [];

    await expect(collect(stream, chunks)).rejects.toThrow();
    expect(chunks).toHaveLength(3);
  });

  it('drops a non-streaming answer half-way', async () => {
    mock.script({ kind: 'drop-mid-stream', afterChunks: 0 });

    await expect(client.chat.completions.create(question)).rejects.toThrow();
  });

  it('answers 200 with a body that is not JSON', async () => {
    mock.script({ kind: 'malformed-json' });

    await expect(client.chat.completions.create(question)).rejects.toThrow(SyntaxError);
  });

  it('sends an SSE event that is not JSON', async () => {
    mock.script({ kind: 'malformed-json' });
    const stream = await client.chat.completions.create({ ...question, stream: true });
    const chunks: ChatCompletionChunk[] = [];

    await expect(collect(stream, chunks)).rejects.toThrow(SyntaxError);
    expect(chunks).toHaveLength(1);
  });

  it('delays one answer by the scripted time', async () => {
    mock.script({ kind: 'delay', ms: 150 });

    const started = Date.now();
    const completion = await client.chat.completions.create(question);

    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(completion.choices[0]!.message.content).toBe('echo: a b c d');
  });

  it('delays every answer by defaultLatencyMs and paces stream chunks', async () => {
    const slow = await startOpenAiMock({ defaultLatencyMs: 60, streamChunkIntervalMs: 20 });
    try {
      const slowClient = new OpenAI({ baseURL: slow.baseUrl, apiKey: 'any', maxRetries: 0 });
      const started = Date.now();
      const stream = await slowClient.chat.completions.create({ ...question, stream: true });
      const chunks: ChatCompletionChunk[] = [];
      await collect(stream, chunks);

      // 60 ms latency, then 7 events (role, 5 words, finish) and [DONE], 20 ms apart.
      expect(chunks).toHaveLength(7);
      expect(Date.now() - started).toBeGreaterThanOrEqual(60 + 7 * 20 - 15);
    } finally {
      await slow.close();
    }
  });

  it('closes promptly while a request hangs', async () => {
    mock.script({ kind: 'hang' });
    const hanging = fetch(`${mock.baseUrl}/models`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    while (mock.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const started = Date.now();
    await mock.close();

    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(hanging).rejects.toThrow();
  });

  it('forgets scripted faults on reset', async () => {
    mock.script({ kind: 'status', status: 500 }, { kind: 'hang' });
    mock.reset();

    expect(mock.pendingFaults).toBe(0);
    await expect(client.chat.completions.create(question)).resolves.toBeDefined();
  });
});
