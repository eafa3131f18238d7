import { type ChatCompletionRequest } from '@aigw/llm-api';
import { type AnthropicMock, estimateMockTokens, startAnthropicMock } from '@aigw/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { type ProviderStreamChunk } from '../provider-adapter';
import { AnthropicAdapter } from './anthropic.adapter';

const apiKey = 'sk-ant-int';
const signal = () => AbortSignal.timeout(10_000);

const request = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'claude-mock',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello there' },
  ],
  ...extra,
});

async function collect(stream: AsyncIterable<ProviderStreamChunk>) {
  const chunks: Array<{ json: Record<string, unknown>; chunk: ProviderStreamChunk }> = [];
  for await (const chunk of stream) {
    chunks.push({
      json: JSON.parse(chunk.data.toString('utf8')) as Record<string, unknown>,
      chunk,
    });
  }
  return chunks;
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('AnthropicAdapter against the Anthropic mock', () => {
  let mock: AnthropicMock;
  let adapter: AnthropicAdapter;

  beforeAll(async () => {
    mock = await startAnthropicMock({ apiKey });
    adapter = new AnthropicAdapter({
      baseUrl: mock.baseUrl,
      apiKey,
      version: '2023-06-01',
      timeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await adapter.close();
    await mock.close();
  });

  beforeEach(() => mock.reset());

  it('sends a translated request with x-api-key and anthropic-version, answers in OpenAI format', async () => {
    mock.script({ kind: 'reply', content: 'Hi!', cacheReadTokens: 50 });
    const completion = await adapter.complete(request(), signal());

    const sent = mock.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(apiKey);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toEqual({
      model: 'claude-mock',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
      stream: false,
    });
    const body = JSON.parse(completion.body.toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'claude-mock',
      choices: [{ message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop' }],
    });
    const input = estimateMockTokens('Be brief.') + estimateMockTokens('Hello there');
    expect(completion.usage).toEqual({
      promptTokens: input + 50,
      completionTokens: 1,
      cachedTokens: 50,
      reasoningTokens: 0,
    });
  });

  it('streams OpenAI chunks, with the usage chunk for the client only when it asked', async () => {
    const plain = await collect(adapter.stream(request({ stream: true }), signal()));
    const withUsage = await collect(
      adapter.stream(request({ stream: true, stream_options: { include_usage: true } }), signal()),
    );

    const text = plain
      .map(
        ({ json }) =>
          (json['choices'] as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? '',
      )
      .join('');
    expect(text).toBe('echo: Hello there');
    const usageChunk = plain.at(-1)!;
    expect(usageChunk.chunk.forClient).toBe(false);
    expect(usageChunk.chunk.usage?.completionTokens).toBe(estimateMockTokens('echo: Hello there'));
    expect(withUsage.at(-1)!.chunk.forClient).toBe(true);
    expect(mock.messageRequests()[0]!.stream).toBe(true);
  });

  it('translates a streamed tool_use into tool_calls deltas', async () => {
    mock.script({ kind: 'tool-use', name: 'weather', input: { city: 'Oslo' } });
    const chunks = await collect(
      adapter.stream(
        request({
          stream: true,
          tools: [
            { type: 'function', function: { name: 'weather', parameters: { type: 'object' } } },
          ],
        }),
        signal(),
      ),
    );

    const calls = chunks.flatMap(
      ({ json }) =>
        (
          json['choices'] as Array<{
            delta: { tool_calls?: Array<{ function?: { name?: string; arguments?: string } }> };
          }>
        )[0]?.delta.tool_calls ?? [],
    );
    expect(calls[0]?.function?.name).toBe('weather');
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"city":"Oslo"}');
    expect(mock.messageRequests()[0]!.tools).toEqual([
      { name: 'weather', input_schema: { type: 'object' } },
    ]);
  });

  it('classifies 429 (with Retry-After), 529 and a 400 the request caused', async () => {
    mock.script(
      { kind: 'status', status: 429, retryAfterSeconds: 7 },
      { kind: 'status', status: 529 },
      { kind: 'status', status: 400, message: 'messages: roles must alternate' },
    );

    const limited = await failureOf(adapter.complete(request(), signal()));
    const overloaded = await failureOf(adapter.complete(request(), signal()));
    const rejected = await failureOf(adapter.complete(request(), signal()));

    expect(limited).toMatchObject({ errorClass: 'rate_limited', status: 429, retryAfterMs: 7000 });
    expect(overloaded).toMatchObject({ errorClass: 'upstream_5xx', status: 529 });
    expect(rejected).toMatchObject({ errorClass: 'client_4xx', status: 400 });
    expect(JSON.parse(rejected.upstreamBody!.toString('utf8'))).toMatchObject({
      error: { message: 'messages: roles must alternate', type: 'invalid_request_error' },
    });
  });

  it('fails a stream before its first chunk on 500, and mid-stream on an error event or a drop', async () => {
    mock.script({ kind: 'status', status: 500 });
    const refused = await failureOf(collect(adapter.stream(request({ stream: true }), signal())));
    expect(refused.errorClass).toBe('upstream_5xx');

    mock.script({ kind: 'stream-error', afterEvents: 3 });
    const seen: ProviderStreamChunk[] = [];
    const overloaded = await failureOf(
      (async () => {
        for await (const chunk of adapter.stream(request({ stream: true }), signal()))
          seen.push(chunk);
      })(),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(overloaded.errorClass).toBe('upstream_5xx');

    mock.script({ kind: 'drop-mid-stream', afterEvents: 4 });
    const dropped = await failureOf(collect(adapter.stream(request({ stream: true }), signal())));
    expect(dropped.errorClass).toBe('connection');
  });

  it('times out on a provider that never answers', async () => {
    mock.script({ kind: 'hang' });
    const hung = await failureOf(
      adapter.complete(request(), signal(), { firstByteTimeoutMs: 300 }),
    );
    expect(hung.errorClass).toBe('timeout');
  });
});
