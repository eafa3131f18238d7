import Anthropic, { type APIError, RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { estimateMockTokens } from '../openai-mock/mock-tokens';
import { startAnthropicMock } from './anthropic-mock-server';
import { type AnthropicMock } from './anthropic-mock.types';

const apiKey = 'sk-ant-mock';

describe('Anthropic mock, driven by the official SDK', () => {
  let mock: AnthropicMock;
  let client: Anthropic;

  beforeAll(async () => {
    mock = await startAnthropicMock({ apiKey });
    client = new Anthropic({ baseURL: mock.baseUrl, apiKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await mock.close();
  });

  beforeEach(() => mock.reset());

  it('answers a message with the echo and documented usage', async () => {
    const message = await client.messages.create({
      model: 'claude-mock',
      max_tokens: 100,
      system: 'Be kind.',
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-mock',
      content: [{ type: 'text', text: 'echo: Hello there' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: estimateMockTokens('Be kind.') + estimateMockTokens('Hello there'),
        output_tokens: estimateMockTokens('echo: Hello there'),
        cache_read_input_tokens: 0,
      },
    });
    expect(
      mock.requests[0]!.headers.authorization ?? mock.requests[0]!.headers['x-api-key'],
    ).toContain(apiKey);
    expect(mock.requests[0]!.headers['anthropic-version']).toBeTruthy();
    expect(mock.messageRequests()[0]!.system).toBe('Be kind.');
  });

  it('streams the documented event flow, which the SDK assembles into the same message', async () => {
    mock.script({ kind: 'reply', content: 'one two three', cacheReadTokens: 40 });
    const stream = client.messages.stream({
      model: 'claude-mock',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'count' }],
    });
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const message = await stream.finalMessage();

    expect(message.content).toEqual([{ type: 'text', text: 'one two three' }]);
    expect(message.usage).toMatchObject({ output_tokens: 4, cache_read_input_tokens: 40 });
    expect(types[0]).toBe('message_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_delta')).toHaveLength(3);
  });

  it('stops at a stop sequence and at max_tokens', async () => {
    mock.script(
      { kind: 'reply', content: 'alpha END beta' },
      { kind: 'reply', content: 'x'.repeat(40) },
    );
    const stopped = await client.messages.create({
      model: 'm',
      max_tokens: 100,
      stop_sequences: ['END'],
      messages: [{ role: 'user', content: 'go' }],
    });
    const cut = await client.messages.create({
      model: 'm',
      max_tokens: 2,
      messages: [{ role: 'user', content: 'go' }],
    });

    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
    expect(stopped.content).toEqual([{ type: 'text', text: 'alpha ' }]);
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.content).toEqual([{ type: 'text', text: 'x'.repeat(8) }]);
  });

  it('answers with a tool_use block when tools are offered, also streamed', async () => {
    const tools = [{ name: 'weather', input_schema: { type: 'object' as const } }];
    mock.script(
      { kind: 'tool-use', name: 'weather', input: { city: 'Oslo' } },
      { kind: 'tool-use', name: 'weather', input: { city: 'Rome, Italy' } },
    );
    const message = await client.messages.create({
      model: 'm',
      max_tokens: 100,
      tools,
      messages: [{ role: 'user', content: 'weather?' }],
    });
    const streamed = await client.messages
      .stream({ model: 'm', max_tokens: 100, tools, messages: [{ role: 'user', content: 'and?' }] })
      .finalMessage();

    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'weather',
      input: { city: 'Oslo' },
    });
    expect(streamed.content[0]).toMatchObject({ type: 'tool_use', input: { city: 'Rome, Italy' } });
  });

  it('injects 429 with retry-after, 500 and 529 overloaded in Anthropic error JSON', async () => {
    mock.script(
      { kind: 'status', status: 429, retryAfterSeconds: 7 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 529 },
    );
    const call = () =>
      client.messages
        .create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
        .catch((error: unknown) => error);

    const limited = await call();
    const failed = await call();
    const overloaded = await call();

    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers?.get('retry-after')).toBe('7');
    expect((limited as APIError).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
    expect(failed).toBeInstanceOf(Anthropic.InternalServerError);
    expect(overloaded).toMatchObject({ status: 529, type: 'overloaded_error' });
  });

  it('sends an error event mid-stream', async () => {
    mock.script({ kind: 'stream-error', afterEvents: 3 });
    const stream = client.messages.stream({
      model: 'm',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hello world' }],
    });

    await expect(stream.finalMessage()).rejects.toMatchObject({ type: 'overloaded_error' });
  });

  it('hangs until the client gives up', async () => {
    mock.script({ kind: 'hang' });
    const started = Date.now();
    const error = await client.messages
      .create(
        { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] },
        { timeout: 300 },
      )
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('refuses a wrong key and a missing max_tokens, and counts tokens', async () => {
    const intruder = new Anthropic({ baseURL: mock.baseUrl, apiKey: 'wrong', maxRetries: 0 });
    await expect(
      intruder.messages.create({
        model: 'm',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const invalid = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    await expect(
      client.messages.create(invalid as unknown as Anthropic.MessageCreateParamsNonStreaming),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);

    const counted = await client.messages.countTokens({
      model: 'm',
      messages: [{ role: 'user', content: 'twelve chars' }],
    });
    expect(counted.input_tokens).toBe(3);
  });
});
