import OpenAI, { AuthenticationError, BadRequestError, NotFoundError } from 'openai';
import { type ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiMock } from './openai-mock-server';
import { type OpenAiMock } from './openai-mock.types';

const apiKey = 'test-key';
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
} as const;

describe('OpenAI mock, through the official SDK', () => {
  let mock: OpenAiMock;
  let client: OpenAI;

  beforeEach(async () => {
    mock = await startOpenAiMock({ apiKey });
    client = new OpenAI({ baseURL: mock.baseUrl, apiKey, maxRetries: 0, logLevel: 'off' });
  });
  afterEach(() => mock.close());

  it('answers a chat completion by echoing the last user message, with usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
    });

    expect(completion).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini' });
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]!.message).toMatchObject({
      role: 'assistant',
      content: 'echo: Hello there',
    });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    // ceil(9/4) + ceil(11/4) for the prompt, ceil(17/4) for the answer.
    expect(completion.usage).toMatchObject({
      prompt_tokens: 6,
      completion_tokens: 5,
      total_tokens: 11,
    });
  });

  it('streams chunks: role first, content in several deltas, finish reason, then usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'one two three four' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    const usageChunk = chunks.at(-1)!;
    const choiceChunks = chunks.slice(0, -1);
    expect(choiceChunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const contentDeltas = choiceChunks.map((chunk) => chunk.choices[0]!.delta.content ?? '');
    expect(contentDeltas.join('')).toBe('echo: one two three four');
    expect(contentDeltas.filter((delta) => delta !== '').length).toBeGreaterThanOrEqual(5);
    expect(choiceChunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(choiceChunks.every((chunk) => chunk.usage === null)).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({
      prompt_tokens: 5,
      completion_tokens: 6,
      total_tokens: 11,
    });
  });

  it('sends no usage chunk when the stream did not ask for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
  });

  it('answers with a scripted text once, then echoes again', async () => {
    mock.script({ kind: 'reply', content: 'Call me at 555-0100' });
    const ask = () =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'ping' }],
      });

    expect((await ask()).choices[0]!.message.content).toBe('Call me at 555-0100');
    expect((await ask()).choices[0]!.message.content).toBe('echo: ping');
    expect(mock.pendingFaults).toBe(0);
  });

  it('uses the reply option as the default answer', async () => {
    const custom = await startOpenAiMock({ reply: (request) => `model was ${request.model}` });
    try {
      const customClient = new OpenAI({ baseURL: custom.baseUrl, apiKey: 'any', maxRetries: 0 });
      const completion = await customClient.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(completion.choices[0]!.message.content).toBe('model was gpt-4o');
    } finally {
      await custom.close();
    }
  });

  it('cuts the answer at max_completion_tokens with finish_reason "length"', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello world' }],
      max_completion_tokens: 2,
    });

    expect(completion.choices[0]!.message.content).toBe('echo: he');
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(2);
  });

  it('returns a scripted tool call when the request offers tools', async () => {
    mock.script({ kind: 'tool-call', name: 'get_weather', arguments: { city: 'Paris' } });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });

    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') return;
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
  });

  it('streams a tool call that the SDK stream helper reassembles', async () => {
    mock.script({ kind: 'tool-call', name: 'get_weather', arguments: '{"city":"Saint-Étienne"}' });
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool],
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();

    const call = completion.choices[0]!.message.tool_calls?.[0];
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function).toEqual({
      name: 'get_weather',
      arguments: '{"city":"Saint-Étienne"}',
    });
    expect(completion.usage?.completion_tokens).toBe(9);
  });

  it('answers with text when a tool call is scripted but the request offers no tools', async () => {
    mock.script({ kind: 'tool-call', name: 'get_weather', arguments: '{}' });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });

    expect(completion.choices[0]!.message.content).toBe('echo: hi');
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('returns deterministic unit embeddings, as floats or base64 (the SDK default)', async () => {
    const input = ['alpha', 'beta', 'alpha'];
    const floats = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input,
      encoding_format: 'float',
    });
    const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input });

    const vectors = floats.data.map((item) => item.embedding);
    expect(floats.data.map((item) => item.index)).toEqual([0, 1, 2]);
    expect(vectors.every((vector) => vector.length === 8)).toBe(true);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(Math.hypot(...vectors[0]!)).toBeCloseTo(1, 5);
    expect(decoded.data.map((item) => Array.from(item.embedding))).toEqual(vectors);
    expect(floats.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
    expect(mock.requests[1]!.body).toMatchObject({ encoding_format: 'base64' });
  });

  it('honours the requested embedding dimensions', async () => {
    const response = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'short',
      dimensions: 3,
    });

    expect(response.data[0]!.embedding).toHaveLength(3);
  });

  it('lists and retrieves models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);

    expect(ids).toEqual(['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']);
    expect(await client.models.retrieve('gpt-4o')).toMatchObject({ id: 'gpt-4o', object: 'model' });
    await expect(client.models.retrieve('gpt-9')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects a wrong API key with a 401 in OpenAI error JSON', async () => {
    const intruder = new OpenAI({ baseURL: mock.baseUrl, apiKey: 'wrong', maxRetries: 0 });

    const error = await intruder.models.list().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('answers an unknown route with a 404 in OpenAI error JSON', async () => {
    const error = await client.get('/assistants-v9').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ type: 'invalid_request_error' });
    expect((error as NotFoundError).message).toContain('Invalid URL (GET /v1/assistants-v9)');
  });

  it('rejects a chat request without messages as a 400 naming the parameter', async () => {
    const invalid = { model: 'gpt-4o-mini' } as unknown as ChatCompletionCreateParamsNonStreaming;

    const error = await client.chat.completions.create(invalid).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ param: 'messages', code: 'missing_required_parameter' });
  });

  it('records every request with its headers and parsed body', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'my email is [EMAIL_1]' }],
    });
    await client.models.list();

    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/chat/completions',
      'GET /v1/models',
    ]);
    expect(mock.requests[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(mock.chatRequests()).toHaveLength(1);
    expect(mock.chatRequests()[0]!.messages).toEqual([
      { role: 'user', content: 'my email is [EMAIL_1]' },
    ]);
    expect(mock.requests[1]!.body).toBeUndefined();

    mock.reset();
    expect(mock.requests).toEqual([]);
  });

  it('keeps no requests when recording is off', async () => {
    const quiet = await startOpenAiMock({ recordRequests: false });
    try {
      await new OpenAI({ baseURL: quiet.baseUrl, apiKey: 'any' }).models.list();
      expect(quiet.requests).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
