import { type ChatCompletionRequest } from '@aigw/llm-api';
import { type AzureOpenAiMock, startAzureOpenAiMock } from '@aigw/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { AzureOpenAiAdapter } from './azure-openai.adapter';

const apiKey = 'azure-int-key';
const signal = () => AbortSignal.timeout(10_000);

const request = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello there' }],
  ...extra,
});

describe('AzureOpenAiAdapter against the Azure OpenAI mock', () => {
  let mock: AzureOpenAiMock;
  let adapter: AzureOpenAiAdapter;

  beforeAll(async () => {
    mock = await startAzureOpenAiMock({ apiKey, apiVersions: ['2024-10-21'] });
    adapter = new AzureOpenAiAdapter({
      endpoint: `${mock.endpoint}/`,
      apiKey,
      apiVersion: '2024-10-21',
      deployments: { 'gpt-4o-mini': 'mini-prod' },
      timeoutMs: 1_000,
    });
  });

  afterAll(async () => {
    await adapter.close();
    await mock.close();
  });

  beforeEach(() => mock.reset());

  it('calls the mapped deployment with api-version and api-key, and no bearer token', async () => {
    const completion = await adapter.complete(request(), signal());

    expect(mock.requests[0]).toMatchObject({
      path: '/openai/deployments/mini-prod/chat/completions',
      deployment: 'mini-prod',
      apiVersion: '2024-10-21',
    });
    expect(mock.requests[0]!.headers['api-key']).toBe(apiKey);
    expect(mock.requests[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(completion.body.toString('utf8'))).toMatchObject({
      choices: [{ message: { content: 'echo: Hello there' } }],
    });
    expect(completion.usage.promptTokens).toBe(3);
  });

  it('uses an unmapped model as its own deployment name', async () => {
    await adapter.complete(request({ model: 'gpt-4o' }), signal());
    expect(mock.requests[0]!.path).toBe('/openai/deployments/gpt-4o/chat/completions');
  });

  it('streams through the OpenAI code path, usage only for the router unless asked', async () => {
    const chunks = [];
    for await (const chunk of adapter.stream(request({ stream: true }), signal()))
      chunks.push(chunk);
    const text = chunks
      .map((chunk) => {
        const json = JSON.parse(chunk.data.toString('utf8')) as {
          choices: Array<{ delta: { content?: string } }>;
        };
        return json.choices[0]?.delta.content ?? '';
      })
      .join('');
    expect(text).toBe('echo: Hello there');
    expect(chunks.at(-1)).toMatchObject({ forClient: false, usage: { promptTokens: 3 } });
  });

  it('classifies a 429 with Retry-After, and a wrong key as a client error', async () => {
    mock.openAi.script({ kind: 'status', status: 429, retryAfterSeconds: 2 });
    const limited = await adapter.complete(request(), signal()).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 2000 });

    const wrong = new AzureOpenAiAdapter({
      endpoint: mock.endpoint,
      apiKey: 'nope',
      apiVersion: '2024-10-21',
      deployments: {},
      timeoutMs: 1_000,
    });
    try {
      const refused = await wrong.complete(request(), signal()).catch((error: unknown) => error);
      expect(refused).toMatchObject({ errorClass: 'client_4xx', status: 401 });
    } finally {
      await wrong.close();
    }
  });
});
