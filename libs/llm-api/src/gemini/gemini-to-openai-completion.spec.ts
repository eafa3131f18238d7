import { describe, expect, it } from 'vitest';
import { type GeminiIdSource } from './gemini-ids';
import { geminiResponseSchema } from './gemini-response.schema';
import { geminiToOpenAiCompletion } from './gemini-to-openai-completion';

function counterIds(): GeminiIdSource {
  let calls = 0;
  return { completionId: () => 'chatcmpl-fixed', toolCallId: () => `call_${++calls}` };
}

const translate = (body: unknown) =>
  geminiToOpenAiCompletion(geminiResponseSchema.parse(body), {
    model: 'gemini-requested',
    created: 1,
    ids: counterIds(),
  });

describe('geminiToOpenAiCompletion', () => {
  it('joins text parts, leaves thoughts out and maps usage with cached and reasoning tokens', () => {
    const completion = translate({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'thinking…', thought: true }, { text: 'Hel' }, { text: 'lo' }],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: {
        promptTokenCount: 40,
        candidatesTokenCount: 5,
        totalTokenCount: 57,
        cachedContentTokenCount: 30,
        thoughtsTokenCount: 12,
      },
      modelVersion: 'gemini-2.5-flash-001',
      responseId: 'abc',
    });

    expect(completion).toEqual({
      id: 'chatcmpl-abc',
      object: 'chat.completion',
      created: 1,
      model: 'gemini-2.5-flash-001',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 40,
        completion_tokens: 17,
        total_tokens: 57,
        prompt_tokens_details: { cached_tokens: 30 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    });
  });

  it('turns functionCall parts into tool_calls with generated ids and finish_reason tool_calls', () => {
    const completion = translate({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
              { functionCall: { name: 'now' } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    });

    expect(completion.id).toBe('chatcmpl-fixed');
    expect(completion.model).toBe('gemini-requested');
    expect(completion.choices[0]).toMatchObject({
      message: {
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_2', type: 'function', function: { name: 'now', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(completion.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0 });
  });

  it('maps MAX_TOKENS to length, SAFETY to content_filter, and a blocked prompt to an empty filtered answer', () => {
    const reasonOf = (finishReason: string) =>
      translate({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] }).choices[0]!
        .finish_reason;
    expect(reasonOf('MAX_TOKENS')).toBe('length');
    expect(reasonOf('SAFETY')).toBe('content_filter');
    expect(reasonOf('OTHER')).toBe('stop');

    const blocked = translate({ promptFeedback: { blockReason: 'SAFETY' } });
    expect(blocked.choices[0]).toMatchObject({
      message: { content: '' },
      finish_reason: 'content_filter',
    });
  });
});
