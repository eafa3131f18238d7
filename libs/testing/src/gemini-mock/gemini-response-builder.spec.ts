import { describe, expect, it } from 'vitest';
import {
  buildStreamEvents,
  decideGeminiAnswer,
  echoLastUserTurn,
  geminiErrorBody,
  usageMetadataOf,
} from './gemini-response-builder';
import { generateContentRequestSchema } from './gemini-request.schema';

const request = (extra: object = {}) =>
  generateContentRequestSchema.parse({
    contents: [{ role: 'user', parts: [{ text: 'Hello world' }] }],
    ...extra,
  });

describe('Gemini mock answers', () => {
  it('echoes, cuts at a stop sequence (STOP) or at maxOutputTokens (MAX_TOKENS)', () => {
    expect(decideGeminiAnswer(request(), undefined, echoLastUserTurn)).toEqual({
      kind: 'text',
      text: 'echo: Hello world',
      finishReason: 'STOP',
    });
    const stopped = request({ generationConfig: { stopSequences: ['world'] } });
    expect(decideGeminiAnswer(stopped, undefined, echoLastUserTurn)).toMatchObject({
      text: 'echo: Hello ',
      finishReason: 'STOP',
    });
    const limited = request({ generationConfig: { maxOutputTokens: 2 } });
    expect(decideGeminiAnswer(limited, undefined, echoLastUserTurn)).toMatchObject({
      text: 'echo: He',
      finishReason: 'MAX_TOKENS',
    });
  });

  it('calls a function only when functions were declared', () => {
    const call = { kind: 'function-call', name: 'f', args: { a: 1 } } as const;
    expect(decideGeminiAnswer(request(), call, echoLastUserTurn).kind).toBe('text');
    const withTools = request({ tools: [{ functionDeclarations: [{ name: 'f' }] }] });
    expect(decideGeminiAnswer(withTools, call, echoLastUserTurn)).toEqual(call);
  });

  it('streams one event per word, finish reason and full usage on the last', () => {
    const answer = decideGeminiAnswer(request(), undefined, echoLastUserTurn);
    const usage = usageMetadataOf(request(), answer, undefined);
    const events = buildStreamEvents('r', 'm', answer, usage).map(
      (event) => JSON.parse(event) as { candidates: Array<{ finishReason?: string }> },
    );
    expect(events).toHaveLength(3);
    expect(events.map((event) => event.candidates[0]!.finishReason)).toEqual([
      undefined,
      undefined,
      'STOP',
    ]);
    expect(events[2]).toMatchObject({
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 },
    });
  });

  it('shapes errors as Google does, with RetryInfo on request', () => {
    expect(geminiErrorBody(429, undefined, 7)).toEqual({
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
      },
    });
  });
});
