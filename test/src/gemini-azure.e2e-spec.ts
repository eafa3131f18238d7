import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AzureOpenAiMock,
  freePort,
  type GeminiMock,
  mockEmbedding,
  startAzureOpenAiMock,
  startGeminiMock,
  waitForHttp,
} from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { sha256, testKeys } from './support/gateway-keys';

const geminiKey = 'gemini-e2e-secret-7f6e5d';
const azureKey = 'azure-e2e-secret-9a8b7c';

// `gem` (chat) and `gem-vectors` (embeddings) route to the Gemini mock, `az` to the Azure OpenAI mock (deployment `mini-prod`).
function configYaml(port: number, dataDir: string, geminiUrl: string, azureEndpoint: string) {
  return `version: 1
runtime:
  # The test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  http: { host: 127.0.0.1, port: ${port} }
  data_dir: ${dataDir}
providers:
  google:
    type: gemini
    base_url: ${geminiUrl}
    api_key: \${E2E_GEMINI_KEY}
  azure:
    type: azure_openai
    endpoint: ${azureEndpoint}
    api_key: \${E2E_AZURE_KEY}
    api_version: 2024-10-21
    deployments: { gpt-4o-mini: mini-prod }
endpoints:
  gem:
    targets: [{ provider: google, model: gemini-2.5-flash }]
    guardrails: { request: [pii-mask] }
    allow: { groups: [eng] }
  gem-vectors:
    kind: embeddings
    targets: [{ provider: google, model: text-embedding-004 }]
    guardrails: { request: [pii-mask] }
    allow: { groups: [eng] }
  az:
    targets: [{ provider: azure, model: gpt-4o-mini }]
    allow: { groups: [eng] }
principals:
  alice: { kind: user, groups: [eng] }
  admin: { kind: user, roles: [admin] }
keys:
  - { sha256: ${sha256(testKeys.alice)}, principal: alice }
  - { sha256: ${sha256(testKeys.admin)}, principal: admin }
guardrails:
  pii-mask: { type: pii, action: mask }
`;
}

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('Gemini and Azure OpenAI as providers, through the standalone gateway', () => {
  const run = `gemaz-${Date.now().toString(36)}`;
  let gemini: GeminiMock;
  let azure: AzureOpenAiMock;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dataDir: string;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    gemini = await startGeminiMock({ apiKey: geminiKey });
    azure = await startAzureOpenAiMock({ apiKey: azureKey, apiVersions: ['2024-10-21'] });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-gemaz-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      configYaml(port, join(dataDir, 'data'), gemini.baseUrl, azure.endpoint),
    );
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_GEMINI_KEY: geminiKey,
      E2E_AZURE_KEY: azureKey,
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000).catch((error: unknown) => {
      throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
    });
    const defaultHeaders = { 'x-aigw-tags': `run=${run}` };
    openai = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: testKeys.alice,
      maxRetries: 0,
      defaultHeaders,
    });
    anthropic = new Anthropic({
      baseURL: baseUrl,
      apiKey: testKeys.alice,
      maxRetries: 0,
      defaultHeaders,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await gemini?.close();
    await azure?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    gemini.reset();
    azure.reset();
  });

  describe('OpenAI SDK → Gemini', () => {
    it('answers a chat, PII masked before Google, the key sent as x-goog-api-key', async () => {
      gemini.script({ kind: 'reply', text: 'Bonjour!', cachedTokens: 8 });
      const completion = await openai.chat.completions.create({
        model: 'gem',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Greet jane@example.com' },
        ],
        max_tokens: 50,
      });

      expect(completion.choices[0]).toMatchObject({
        message: { role: 'assistant', content: 'Bonjour!' },
        finish_reason: 'stop',
      });
      expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(8);
      const sent = gemini.requests.at(-1)!;
      expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
      expect(sent.headers['x-goog-api-key']).toBe(geminiKey);
      expect(sent.body).toMatchObject({
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        generationConfig: { maxOutputTokens: 50 },
      });
      expect(JSON.stringify(sent.body)).not.toContain('jane@example.com');
    });

    it('streams chunks the SDK assembles, with usage when asked', async () => {
      const stream = await openai.chat.completions.create({
        model: 'gem',
        messages: [{ role: 'user', content: 'stream these words please' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }

      expect(text).toBe('echo: stream these words please');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 8 });
      expect(gemini.requests.at(-1)!.query).toBe('alt=sse');
    });

    it('calls tools and takes the tool result back', async () => {
      gemini.script({ kind: 'function-call', name: 'get_weather', args: { city: 'Paris' } });
      const first = await openai.chat.completions.create({
        model: 'gem',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [weatherTool],
      });
      const call = first.choices[0]!.message.tool_calls![0]!;
      expect(first.choices[0]!.finish_reason).toBe('tool_calls');
      expect(call).toMatchObject({
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      });

      gemini.script({ kind: 'reply', text: 'It is 21 degrees.' });
      const second = await openai.chat.completions.create({
        model: 'gem',
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          first.choices[0]!.message,
          { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' },
        ],
        tools: [weatherTool],
      });
      expect(second.choices[0]!.message.content).toBe('It is 21 degrees.');
      expect(gemini.generateRequests().at(-1)!.body.contents).toEqual([
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        {
          role: 'model',
          parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }],
        },
      ]);
    });

    it('embeds by batchEmbedContents, in float and the default base64, PII masked', async () => {
      const floats = await openai.embeddings.create({
        model: 'gem-vectors',
        input: ['Mail jane@example.com', 'plain text'],
        encoding_format: 'float',
        dimensions: 8,
      });
      // The SDK asks for base64 by default and decodes it back to numbers.
      const decoded = await openai.embeddings.create({
        model: 'gem-vectors',
        input: 'plain text',
      });

      const [first, second] = gemini.embedRequests();
      expect(first!.model).toBe('text-embedding-004');
      expect(gemini.requests[0]!.headers['x-goog-api-key']).toBe(geminiKey);
      const texts = first!.body.requests.map((item) => item.content.parts[0]!.text!);
      expect(texts[0]).not.toContain('jane@example.com');
      expect(texts[1]).toBe('plain text');
      expect(first!.body.requests[0]).toMatchObject({
        model: 'models/text-embedding-004',
        outputDimensionality: 8,
      });
      expect(floats.data.map((item) => item.embedding)).toEqual(
        texts.map((text) => mockEmbedding(text, 8)),
      );
      expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
      expect(second!.body.requests[0]!.outputDimensionality).toBeUndefined();
      expect(decoded.data[0]!.embedding).toEqual(mockEmbedding('plain text', 768));
    });

    it('passes a Gemini 400 on as an OpenAI invalid_request_error', async () => {
      gemini.script({ kind: 'status', status: 400, message: 'Invalid schema' });
      const error = await openai.chat.completions
        .create({ model: 'gem', messages: [{ role: 'user', content: 'x' }] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
        'Invalid schema',
      );
    });
  });

  describe('Anthropic SDK → /v1/messages → Gemini', () => {
    it('answers a message', async () => {
      const message = await anthropic.messages.create({
        model: 'gem',
        max_tokens: 100,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Hello Gemini' }],
      });
      expect(message).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'echo: Hello Gemini' }],
        stop_reason: 'end_turn',
      });
      expect(message.usage.input_tokens).toBeGreaterThan(0);
      expect(gemini.generateRequests().at(-1)!.body).toMatchObject({
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        generationConfig: { maxOutputTokens: 100 },
      });
    });

    it('streams text and a tool use as Anthropic events', async () => {
      const stream = anthropic.messages.stream({
        model: 'gem',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'streamed via gemini' }],
      });
      const message = await stream.finalMessage();
      expect(message.content).toEqual([{ type: 'text', text: 'echo: streamed via gemini' }]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage.output_tokens).toBeGreaterThan(0);

      gemini.script({ kind: 'function-call', name: 'get_weather', args: { city: 'Rome' } });
      const toolStream = anthropic.messages.stream({
        model: 'gem',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Weather in Rome?' }],
        tools: [
          {
            name: 'get_weather',
            input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
      });
      const toolMessage = await toolStream.finalMessage();
      expect(toolMessage.stop_reason).toBe('tool_use');
      expect(toolMessage.content).toMatchObject([
        { type: 'tool_use', name: 'get_weather', input: { city: 'Rome' } },
      ]);
    });
  });

  describe('OpenAI SDK → Azure OpenAI', () => {
    it('answers a chat via the mapped deployment with api-key and api-version', async () => {
      const completion = await openai.chat.completions.create({
        model: 'az',
        messages: [{ role: 'user', content: 'Hello Azure' }],
      });
      expect(completion.choices[0]!.message.content).toBe('echo: Hello Azure');
      expect(azure.requests.at(-1)).toMatchObject({
        path: '/openai/deployments/mini-prod/chat/completions',
        apiVersion: '2024-10-21',
      });
      expect(azure.requests.at(-1)!.headers['api-key']).toBe(azureKey);
      expect(azure.requests.at(-1)!.headers.authorization).toBeUndefined();
    });

    it('streams and calls tools', async () => {
      const stream = await openai.chat.completions.create({
        model: 'az',
        messages: [{ role: 'user', content: 'stream from azure' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('echo: stream from azure');

      azure.openAi.script({ kind: 'tool-call', name: 'get_weather', arguments: { city: 'Oslo' } });
      const completion = await openai.chat.completions.create({
        model: 'az',
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
        tools: [weatherTool],
      });
      expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
      expect(completion.choices[0]!.message.tool_calls).toMatchObject([
        { type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      ]);
    });
  });

  it('records every request with its provider and model', async () => {
    const rows = await eventually('request rows', async () => {
      const found = await adminSql<{ provider: string; model: string; n: number }>(
        baseUrl,
        testKeys.admin,
        `SELECT provider, model, toUInt32(count()) AS n FROM requests FINAL
         WHERE tags['run'] = '${run}' AND status = 200 GROUP BY provider, model
         ORDER BY provider, model`,
      );
      const total = found.reduce((sum, row) => sum + Number(row.n), 0);
      return total >= 12 ? found : undefined;
    });
    expect(rows.map((row) => ({ provider: row.provider, model: row.model }))).toEqual([
      { provider: 'azure', model: 'gpt-4o-mini' },
      { provider: 'google', model: 'gemini-2.5-flash' },
      { provider: 'google', model: 'text-embedding-004' },
    ]);
  });
});
