import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AnthropicMock,
  freePort,
  type OpenAiMock,
  startAnthropicMock,
  startOpenAiMock,
  waitForHttp,
} from '@aigw/testing';
import { type RunningProcess, startNodeProcess } from './support/child-process';
import { sha256, testKeys } from './support/gateway-keys';

const anthropicKey = 'sk-ant-e2e-secret-4c3b2a';
const openAiKey = 'sk-e2e-openai-secret-1a2b3c';

// `claude` routes to the Anthropic mock, `gpt` to the OpenAI mock: each SDK is driven against
// both, so every translation path (and none) is crossed.
function configYaml(
  port: number,
  dataDir: string,
  anthropicUrl: string,
  openAiUrl: string,
): string {
  return `version: 1
runtime:
  # The test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  http: { host: 127.0.0.1, port: ${port} }
  data_dir: ${dataDir}
providers:
  anthropic:
    type: anthropic
    base_url: ${anthropicUrl}
    api_key: \${E2E_ANTHROPIC_KEY}
  openai:
    type: openai
    base_url: ${openAiUrl}
    api_key: \${E2E_OPENAI_KEY}
endpoints:
  claude:
    targets: [{ provider: anthropic, model: claude-mock-1 }]
    guardrails: { request: [pii-mask] }
    allow: { groups: [eng] }
  gpt:
    targets: [{ provider: openai, model: gpt-4o-mini }]
    guardrails: { request: [pii-mask] }
    allow: { groups: [eng] }
  private:
    targets: [{ provider: anthropic, model: claude-private }]
    allow: { principals: [bob] }
principals:
  alice: { kind: user, groups: [eng] }
  bob: { kind: service }
keys:
  - { sha256: ${sha256(testKeys.alice)}, principal: alice }
  - { sha256: ${sha256(testKeys.bob)}, principal: bob }
guardrails:
  pii-mask: { type: pii, action: mask }
`;
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

describe('Anthropic Messages API through the gateway, and Anthropic as a provider', () => {
  let anthropicMock: AnthropicMock;
  let openAiMock: OpenAiMock;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dataDir: string;
  let anthropic: Anthropic;
  let openai: OpenAI;

  beforeAll(async () => {
    anthropicMock = await startAnthropicMock({ apiKey: anthropicKey });
    openAiMock = await startOpenAiMock({ apiKey: openAiKey });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-anthropic-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      configYaml(port, join(dataDir, 'data'), anthropicMock.baseUrl, openAiMock.baseUrl),
    );
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_ANTHROPIC_KEY: anthropicKey,
      E2E_OPENAI_KEY: openAiKey,
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000).catch((error: unknown) => {
      throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
    });
    anthropic = new Anthropic({ baseURL: baseUrl, apiKey: testKeys.alice, maxRetries: 0 });
    openai = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: testKeys.alice, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await anthropicMock?.close();
    await openAiMock?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    anthropicMock.reset();
    openAiMock.reset();
  });

  describe('Anthropic SDK → /v1/messages → Anthropic provider', () => {
    it('answers a message, with PII masked before the provider and the provider key sent', async () => {
      const message = await anthropic.messages.create({
        model: 'claude',
        max_tokens: 200,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Mail jane@example.com please' }],
      });

      expect(message).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'echo: Mail [EMAIL_1] please' }],
        stop_reason: 'end_turn',
      });
      expect(message.usage.input_tokens).toBeGreaterThan(0);
      expect(message.usage.output_tokens).toBeGreaterThan(0);
      const seen = anthropicMock.requests.at(-1)!;
      expect(seen.headers['x-api-key']).toBe(anthropicKey);
      expect(seen.headers['anthropic-version']).toBe('2023-06-01');
      expect(seen.body).toMatchObject({
        model: 'claude-mock-1',
        max_tokens: 200,
        system: 'Be brief.',
      });
      expect(JSON.stringify(seen.body)).not.toContain('jane@example.com');
    });

    it('streams events the SDK assembles, with usage including cache reads', async () => {
      anthropicMock.script({
        kind: 'reply',
        content: 'streamed words arrive here',
        cacheReadTokens: 30,
      });
      const stream = anthropic.messages.stream({
        model: 'claude',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'stream please' }],
      });
      const deltas: string[] = [];
      stream.on('text', (text) => deltas.push(text));
      const message = await stream.finalMessage();

      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe('streamed words arrive here');
      expect(message.content).toEqual([{ type: 'text', text: 'streamed words arrive here' }]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage.cache_read_input_tokens).toBe(30);
      expect(message.usage.output_tokens).toBeGreaterThan(0);
    });

    it('round-trips a tool use and its result', async () => {
      anthropicMock.script({ kind: 'tool-use', name: 'get_weather', input: { city: 'Oslo' } });
      const first = await anthropic.messages.create({
        model: 'claude',
        max_tokens: 200,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      });
      const toolUse = first.content.find((block) => block.type === 'tool_use');
      expect(first.stop_reason).toBe('tool_use');
      expect(toolUse).toMatchObject({ name: 'get_weather', input: { city: 'Oslo' } });

      await anthropic.messages.create({
        model: 'claude',
        max_tokens: 200,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Oslo?' },
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: toolUse!.type === 'tool_use' ? toolUse!.id : '',
                content: 'snow',
              },
            ],
          },
        ],
      });
      const seen = anthropicMock.messageRequests().at(-1)!;
      expect(seen.messages.at(-1)).toMatchObject({
        role: 'user',
        content: [{ type: 'tool_result', content: 'snow' }],
      });
      expect(seen.messages[1]).toMatchObject({
        role: 'assistant',
        content: [{ type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } }],
      });
    });
  });

  describe('Anthropic SDK → /v1/messages → OpenAI provider', () => {
    it('answers a message translated both ways', async () => {
      const message = await anthropic.messages.create({
        model: 'gpt',
        max_tokens: 100,
        system: 'You are terse.',
        messages: [{ role: 'user', content: 'Hello from Claude land' }],
      });

      expect(message.content).toEqual([{ type: 'text', text: 'echo: Hello from Claude land' }]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage.input_tokens).toBeGreaterThan(0);
      expect(openAiMock.chatRequests().at(-1)).toMatchObject({
        model: 'gpt-4o-mini',
        max_tokens: 100,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Hello from Claude land' },
        ],
      });
    });

    it('streams text and tool calls as Anthropic events', async () => {
      const text = await anthropic.messages
        .stream({
          model: 'gpt',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'stream it' }],
        })
        .finalMessage();
      expect(text.content).toEqual([{ type: 'text', text: 'echo: stream it' }]);
      expect(text.usage.output_tokens).toBeGreaterThan(0);

      openAiMock.script({ kind: 'tool-call', name: 'get_weather', arguments: { city: 'Rome' } });
      const tool = await anthropic.messages
        .stream({
          model: 'gpt',
          max_tokens: 100,
          tools: [weatherTool],
          messages: [{ role: 'user', content: 'Weather in Rome?' }],
        })
        .finalMessage();
      expect(tool.stop_reason).toBe('tool_use');
      expect(tool.content).toEqual([
        expect.objectContaining({ type: 'tool_use', name: 'get_weather', input: { city: 'Rome' } }),
      ]);
      expect(openAiMock.chatRequests().at(-1)).toMatchObject({
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
      });
    });
  });

  describe('OpenAI SDK → /v1/chat/completions → Anthropic provider', () => {
    it('answers a chat completion', async () => {
      const completion = await openai.chat.completions.create({
        model: 'claude',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi from OpenAI land' },
        ],
        max_tokens: 50,
      });

      expect(completion.object).toBe('chat.completion');
      expect(completion.choices[0]!.message.content).toBe('echo: Hi from OpenAI land');
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
      expect(anthropicMock.messageRequests().at(-1)).toMatchObject({
        system: 'Be brief.',
        max_tokens: 50,
      });
    });

    it('streams chunks with usage, and tool calls', async () => {
      const stream = await openai.chat.completions.create({
        model: 'claude',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'stream me' }],
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('echo: stream me');
      expect(usage?.completion_tokens).toBeGreaterThan(0);

      anthropicMock.script({ kind: 'tool-use', name: 'get_weather', input: { city: 'Lima' } });
      const completion = await openai.chat.completions
        .stream({
          model: 'claude',
          messages: [{ role: 'user', content: 'Weather in Lima?' }],
          tools: [
            {
              type: 'function',
              function: { name: 'get_weather', parameters: weatherTool.input_schema },
            },
          ],
        })
        .finalChatCompletion();
      const call = completion.choices[0]!.message.tool_calls?.[0];
      expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
      expect(call?.type === 'function' && call.function).toEqual({
        name: 'get_weather',
        arguments: '{"city":"Lima"}',
      });
    });
  });

  describe('errors and extras on /v1/messages', () => {
    it('answers refusals in Anthropic error JSON with mapped statuses', async () => {
      const stranger = new Anthropic({ baseURL: baseUrl, apiKey: 'not-a-key', maxRetries: 0 });
      const request = { max_tokens: 10, messages: [{ role: 'user' as const, content: 'x' }] };

      const unauthenticated = await stranger.messages
        .create({ model: 'claude', ...request })
        .catch((error: unknown) => error);
      const denied = await anthropic.messages
        .create({ model: 'private', ...request })
        .catch((error: unknown) => error);
      const unknown = await anthropic.messages
        .create({ model: 'nope', ...request })
        .catch((error: unknown) => error);

      expect(unauthenticated).toBeInstanceOf(Anthropic.AuthenticationError);
      expect((unauthenticated as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        type: 'error',
        error: { type: 'authentication_error' },
      });
      expect(denied).toBeInstanceOf(Anthropic.PermissionDeniedError);
      expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    });

    it('refuses an invalid body and passes on a provider 400 as invalid_request_error', async () => {
      const response = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': testKeys.alice, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') },
      });

      anthropicMock.script({ kind: 'status', status: 400, message: 'messages: bad turn order' });
      const rejected = await anthropic.messages
        .create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .catch((error: unknown) => error);
      expect(rejected).toBeInstanceOf(Anthropic.BadRequestError);
      expect((rejected as Error).message).toContain('messages: bad turn order');
    });

    it('accepts the gateway key as x-api-key and estimates tokens', async () => {
      const response = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': testKeys.alice,
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'claude',
          max_tokens: 20,
          messages: [{ role: 'user', content: 'via x-api-key' }],
        }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ content: [{ text: 'echo: via x-api-key' }] });

      const counted = await anthropic.messages.countTokens({
        model: 'claude',
        messages: [{ role: 'user', content: 'sixteen chars!!!' }],
      });
      expect(counted.input_tokens).toBe(4);
    });
  });
});
