import { type ChatCompletionRequest } from '@aigw/llm-api';
import { describe, expect, it } from 'vitest';
import { type ProviderStreamChunk } from '../provider-adapter';
import { MockAdapter } from './mock.adapter';

// Prompt "Be brief.\nhello there" is 21 characters: 6 tokens at one per 4 characters.
// The reply "Mock reply from aigw. You said: hello there" is 43 characters: 11 tokens.
const request: ChatCompletionRequest = {
  model: 'mock-gpt',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hello there' },
  ],
};
const reply = 'Mock reply from aigw. You said: hello there';
const usage = { promptTokens: 6, completionTokens: 11, cachedTokens: 0, reasoningTokens: 0 };

interface ChunkJson {
  id: string;
  object: string;
  model: string;
  choices: {
    index: number;
    delta: { role?: string; content?: string };
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function collect(
  adapter: MockAdapter,
  chatRequest: ChatCompletionRequest,
): Promise<ProviderStreamChunk[]> {
  const chunks: ProviderStreamChunk[] = [];
  for await (const chunk of adapter.stream(chatRequest, new AbortController().signal)) {
    chunks.push(chunk);
  }
  return chunks;
}

function json(chunk: ProviderStreamChunk): ChunkJson {
  return JSON.parse(chunk.data.toString('utf8')) as ChunkJson;
}

describe('MockAdapter.complete', () => {
  it('answers an OpenAI chat completion echoing the last user message', async () => {
    const completion = await new MockAdapter(0).complete(request, new AbortController().signal);

    expect(JSON.parse(completion.body.toString('utf8'))).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'mock-gpt',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 6, completion_tokens: 11, total_tokens: 17 },
    });
    expect(completion.usage).toEqual(usage);
  });

  it('echoes the text parts of the last user message, joined by spaces', async () => {
    const completion = await new MockAdapter(0).complete(
      {
        model: 'mock-gpt',
        messages: [
          { role: 'user', content: 'first question' },
          { role: 'assistant', content: 'an answer' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look at' },
              { type: 'text', text: 'this' },
            ],
          },
        ],
      },
      new AbortController().signal,
    );

    const body = JSON.parse(completion.body.toString('utf8')) as {
      choices: { message: { content: string } }[];
    };
    expect(body.choices[0]!.message.content).toBe('Mock reply from aigw. You said: look at this');
  });

  it('gives up its artificial delay when the call is aborted', async () => {
    const adapter = new MockAdapter(60_000);

    await expect(adapter.complete(request, AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('MockAdapter.stream', () => {
  it('streams chat.completion.chunk objects that add up to the completion text', async () => {
    const chunks = await collect(new MockAdapter(0), request);
    const parsed = chunks.map(json);

    expect(new Set(parsed.map((chunk) => chunk.id)).size).toBe(1);
    expect(parsed.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(parsed.every((chunk) => chunk.model === 'mock-gpt')).toBe(true);
    expect(parsed[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    const text = parsed
      .flatMap((chunk) => chunk.choices)
      .map((choice) => choice.delta.content ?? '')
      .join('');
    expect(text).toBe(reply);
    const finishReasons = parsed.flatMap((chunk) => chunk.choices.map((c) => c.finish_reason));
    expect(finishReasons.filter((reason) => reason !== null)).toEqual(['stop']);
  });

  it('ends with a usage-only chunk that the client gets only when it asked', async () => {
    const chunks = await collect(new MockAdapter(0), request);
    const last = chunks.at(-1)!;

    expect(json(last)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 6, completion_tokens: 11, total_tokens: 17 },
    });
    expect(last.usage).toEqual(usage);
    expect(last.forClient).toBe(false);
    // Every other chunk goes to the client and carries no usage.
    expect(chunks.slice(0, -1).every((chunk) => chunk.forClient && !chunk.usage)).toBe(true);

    const asked = await collect(new MockAdapter(0), {
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(asked.at(-1)!.forClient).toBe(true);
    expect(asked.at(-1)!.usage).toEqual(usage);
  });

  it('reports the same usage when streaming as when answering at once', async () => {
    const adapter = new MockAdapter(0);
    const completion = await adapter.complete(request, new AbortController().signal);
    const chunks = await collect(adapter, request);

    expect(chunks.at(-1)!.usage).toEqual(completion.usage);
  });
});
