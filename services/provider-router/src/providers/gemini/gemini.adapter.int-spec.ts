import { type ChatCompletionRequest } from '@aigw/llm-api';
import { type GeminiMock, mockEmbedding, startGeminiMock } from '@aigw/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ProviderStreamChunk } from '../provider-adapter';
import { ProviderError } from '../provider-error';
import { GeminiAdapter } from './gemini.adapter';

const apiKey = 'gemini-int-key';
const signal = () => AbortSignal.timeout(10_000);

const request = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'gemini-2.5-flash',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello there' },
  ],
  ...extra,
});

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

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

describe('GeminiAdapter against the Gemini mock', () => {
  let mock: GeminiMock;
  let adapter: GeminiAdapter;

  beforeAll(async () => {
    mock = await startGeminiMock({ apiKey });
    adapter = new GeminiAdapter({
      baseUrl: mock.baseUrl,
      apiKey,
      apiVersion: 'v1beta',
      timeoutMs: 1_000,
    });
  });

  afterAll(async () => {
    await adapter.close();
    await mock.close();
  });

  beforeEach(() => mock.reset());

  it('posts a translated generateContent request with x-goog-api-key, answers in OpenAI format', async () => {
    mock.script({ kind: 'reply', text: 'Hi!', cachedTokens: 20, thoughtsTokens: 7 });
    const completion = await adapter.complete(request({ max_tokens: 64 }), signal());

    const sent = mock.requests[0]!;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(apiKey);
    expect(sent.body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }],
      generationConfig: { maxOutputTokens: 64 },
    });
    expect(JSON.parse(completion.body.toString('utf8'))).toMatchObject({
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [{ message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop' }],
    });
    // Prompt: "Be brief." (3) + "Hello there" (3) + 20 cached; output: "Hi!" (1) + 7 thoughts.
    expect(completion.usage).toEqual({
      promptTokens: 26,
      completionTokens: 8,
      cachedTokens: 20,
      reasoningTokens: 7,
    });
  });

  it('turns a function call into tool_calls, and sends the tool result back by name', async () => {
    mock.script({ kind: 'function-call', name: 'get_weather', args: { city: 'Paris' } });
    const first = JSON.parse(
      (await adapter.complete(request({ tools: [weatherTool] }), signal())).body.toString('utf8'),
    ) as {
      choices: Array<{ message: { tool_calls: Array<{ id: string }> }; finish_reason: string }>;
    };
    const call = first.choices[0]!.message.tool_calls[0]!;
    expect(first.choices[0]).toMatchObject({
      message: {
        tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      finish_reason: 'tool_calls',
    });

    await adapter.complete(
      request({
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, tool_calls: [{ ...call, type: 'function' }] },
          { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' },
        ] as ChatCompletionRequest['messages'],
      }),
      signal(),
    );
    expect(mock.generateRequests()[1]!.body.contents.at(-1)).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }],
    });
  });

  it('streams over SSE as OpenAI chunks, usage in a last chunk the client gets only if it asked', async () => {
    const chunks = await collect(adapter.stream(request({ stream: true }), signal()));

    expect(mock.requests[0]).toMatchObject({
      path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      query: 'alt=sse',
    });
    const text = chunks
      .map(
        ({ json }) =>
          (json['choices'] as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? '',
      )
      .join('');
    expect(text).toBe('echo: Hello there');
    const finish = chunks.at(-2)!.json['choices'] as Array<{ finish_reason: string }>;
    expect(finish[0]!.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.json['choices']).toEqual([]);
    expect(last.chunk.forClient).toBe(false);
    expect(last.chunk.usage).toMatchObject({ promptTokens: 6, completionTokens: 5 });

    const asked = await collect(
      adapter.stream(request({ stream: true, stream_options: { include_usage: true } }), signal()),
    );
    expect(asked.at(-1)!.chunk.forClient).toBe(true);
  });

  it('classifies 429 (with its RetryInfo delay), 503 and a 400 with an OpenAI error body', async () => {
    mock.script({ kind: 'status', status: 429, retryDelaySeconds: 3 });
    const limited = await failureOf(adapter.complete(request(), signal()));
    expect(limited).toMatchObject({ errorClass: 'rate_limited', status: 429, retryAfterMs: 3000 });

    mock.script({ kind: 'status', status: 503 });
    expect(await failureOf(adapter.complete(request(), signal()))).toMatchObject({
      errorClass: 'upstream_5xx',
      status: 503,
    });

    mock.script({ kind: 'status', status: 400, message: 'bad schema' });
    const invalid = await failureOf(adapter.complete(request(), signal()));
    expect(invalid.errorClass).toBe('client_4xx');
    expect(JSON.parse(invalid.upstreamBody!.toString('utf8'))).toEqual({
      error: {
        message: 'bad schema',
        type: 'invalid_request_error',
        param: null,
        code: 'INVALID_ARGUMENT',
      },
    });
  });

  it('reports a hang as timeout, a dropped stream as connection, bad data as malformed', async () => {
    mock.script({ kind: 'hang' });
    expect((await failureOf(adapter.complete(request(), signal()))).errorClass).toBe('timeout');

    mock.script({ kind: 'drop-mid-stream', afterEvents: 1 });
    const dropped = await failureOf(collect(adapter.stream(request({ stream: true }), signal())));
    expect(dropped.errorClass).toBe('connection');

    mock.script({ kind: 'malformed-json' });
    const malformed = await failureOf(collect(adapter.stream(request({ stream: true }), signal())));
    expect(malformed.errorClass).toBe('malformed_response');

    mock.script({ kind: 'malformed-json' });
    expect((await failureOf(adapter.complete(request(), signal()))).errorClass).toBe(
      'malformed_response',
    );
  });

  it('embeds by batchEmbedContents in float and base64, classifying failures like chat', async () => {
    const floats = await adapter.embed(
      { model: 'text-embedding-004', input: ['alpha', 'beta gamma'], dimensions: 4 },
      signal(),
    );

    const sent = mock.requests[0]!;
    expect(sent.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(sent.headers['x-goog-api-key']).toBe(apiKey);
    expect(mock.embedRequests()[0]!.body.requests).toEqual([
      {
        model: 'models/text-embedding-004',
        content: { parts: [{ text: 'alpha' }] },
        outputDimensionality: 4,
      },
      {
        model: 'models/text-embedding-004',
        content: { parts: [{ text: 'beta gamma' }] },
        outputDimensionality: 4,
      },
    ]);
    expect(JSON.parse(floats.body.toString('utf8'))).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: mockEmbedding('alpha', 4) },
        { object: 'embedding', index: 1, embedding: mockEmbedding('beta gamma', 4) },
      ],
      model: 'text-embedding-004',
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    expect(floats.usage).toMatchObject({ promptTokens: 5, completionTokens: 0 });

    const encoded = await adapter.embed(
      { model: 'text-embedding-004', input: 'alpha', encoding_format: 'base64' },
      signal(),
    );
    const [item] = (JSON.parse(encoded.body.toString('utf8')) as { data: [{ embedding: string }] })
      .data;
    const expected = Buffer.from(new Float32Array(mockEmbedding('alpha', 768)).buffer);
    expect(item.embedding).toBe(expected.toString('base64'));

    const tokenIds = await failureOf(
      adapter.embed({ model: 'text-embedding-004', input: [1, 2, 3] }, signal()),
    );
    expect(tokenIds).toMatchObject({ errorClass: 'client_4xx', status: 400 });
    expect(JSON.parse(tokenIds.upstreamBody!.toString('utf8'))).toMatchObject({
      error: { type: 'invalid_request_error', param: 'input' },
    });
    expect(mock.embedRequests()).toHaveLength(2);

    mock.script({ kind: 'status', status: 429, retryDelaySeconds: 2 });
    const limited = await failureOf(adapter.embed({ model: 'm', input: 'x' }, signal()));
    expect(limited).toMatchObject({ errorClass: 'rate_limited', status: 429, retryAfterMs: 2000 });

    mock.script({ kind: 'status', status: 400, message: 'bad dimensions' });
    const invalid = await failureOf(adapter.embed({ model: 'm', input: 'x' }, signal()));
    expect(JSON.parse(invalid.upstreamBody!.toString('utf8'))).toMatchObject({
      error: { message: 'bad dimensions', code: 'INVALID_ARGUMENT' },
    });

    mock.script({ kind: 'malformed-json' });
    const malformed = await failureOf(adapter.embed({ model: 'm', input: 'x' }, signal()));
    expect(malformed.errorClass).toBe('malformed_response');

    mock.script({ kind: 'hang' });
    const hung = await failureOf(adapter.embed({ model: 'm', input: 'x' }, signal()));
    expect(hung.errorClass).toBe('timeout');
  });

  it('refuses a wrong key as a client error', async () => {
    const wrong = new GeminiAdapter({
      baseUrl: mock.baseUrl,
      apiKey: 'nope',
      apiVersion: 'v1beta',
      timeoutMs: 1_000,
    });
    try {
      expect((await failureOf(wrong.complete(request(), signal()))).errorClass).toBe('client_4xx');
    } finally {
      await wrong.close();
    }
  });
});
