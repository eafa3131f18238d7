import { describe, expect, it } from 'vitest';
import { geminiResponseSchema } from './gemini-response.schema';
import { GeminiToOpenAiStream } from './gemini-stream-to-openai-chunks';

function translator() {
  let calls = 0;
  return new GeminiToOpenAiStream({
    model: 'gemini-requested',
    created: 1,
    ids: { completionId: () => 'chatcmpl-fixed', toolCallId: () => `call_${++calls}` },
  });
}

describe('GeminiToOpenAiStream', () => {
  it('turns a text stream into role, content, finish and usage chunks', () => {
    const stream = translator();
    const chunks = [
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }],
        usageMetadata: { promptTokenCount: 9 },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'r1',
      },
      {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'lo' }] }, finishReason: 'MAX_TOKENS' },
        ],
        usageMetadata: {
          promptTokenCount: 9,
          candidatesTokenCount: 2,
          cachedContentTokenCount: 4,
          thoughtsTokenCount: 3,
        },
      },
    ].flatMap((event) => stream.push(geminiResponseSchema.parse(event)));
    expect(stream.finished).toBe(true);
    chunks.push(stream.finish());

    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hel' },
      { content: 'lo' },
      {},
      null,
    ]);
    expect(chunks.every((chunk) => chunk.id === 'chatcmpl-r1')).toBe(true);
    expect(chunks.every((chunk) => chunk.model === 'gemini-2.5-flash')).toBe(true);
    expect(chunks[3]!.choices[0]!.finish_reason).toBe('length');
    expect(chunks[4]).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [],
      usage: {
        prompt_tokens: 9,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 3 },
      },
    });
  });

  it('gives each functionCall one complete tool_calls delta, indexed, and finishes with tool_calls', () => {
    const stream = translator();
    const chunks = [
      { candidates: [{ content: { parts: [{ functionCall: { name: 'a', args: { x: 1 } } }] } }] },
      {
        candidates: [
          { content: { parts: [{ functionCall: { name: 'b', args: {} } }] }, finishReason: 'STOP' },
        ],
      },
    ].flatMap((event) => stream.push(geminiResponseSchema.parse(event)));

    expect(chunks.slice(1).map((chunk) => chunk.choices[0])).toEqual([
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 0,
              id: 'call_1',
              type: 'function',
              function: { name: 'a', arguments: '{"x":1}' },
            },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [
            { index: 1, id: 'call_2', type: 'function', function: { name: 'b', arguments: '{}' } },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' },
    ]);
    expect(chunks[0]!.id).toBe('chatcmpl-fixed');
  });

  it('is not finished while no event carried a finish reason', () => {
    const stream = translator();
    stream.push(
      geminiResponseSchema.parse({ candidates: [{ content: { parts: [{ text: 'a' }] } }] }),
    );
    expect(stream.finished).toBe(false);
  });
});
