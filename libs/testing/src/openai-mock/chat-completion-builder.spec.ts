import { describe, expect, it } from 'vitest';
import { type ChatAnswer } from './chat-answer';
import { buildChatCompletionChunks } from './chat-completion-builder';
import { serializeChunks } from './chunk-serializer';
import { mockEmbedding } from './embedding-builder';
import { estimateMockTokens } from './mock-tokens';

const identity = { id: 'chatcmpl-1', created: 1, model: 'm' };

function contentOf(answer: ChatAnswer): string {
  return buildChatCompletionChunks(identity, answer, undefined)
    .map((chunk) => chunk.choices[0]?.delta.content ?? '')
    .join('');
}

describe('buildChatCompletionChunks', () => {
  it.each(['', 'one', '  padded  text  ', 'line one\nline two\n', 'émoji 🙂 ok'])(
    'splits %j into deltas that concatenate back to it',
    (content) => {
      expect(contentOf({ kind: 'text', content, finishReason: 'stop' })).toBe(content);
    },
  );

  it('streams tool-call arguments in pieces that concatenate back to them', () => {
    const args = '{"query":"a rather long argument string"}';
    const chunks = buildChatCompletionChunks(
      identity,
      { kind: 'tool-call', callId: 'call_1', name: 'search', arguments: args },
      undefined,
    );

    const pieces = chunks.map(
      (chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '',
    );
    expect(pieces.filter((piece) => piece !== '').length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(args);
    expect(chunks[0]?.choices[0]?.delta.tool_calls?.[0]).toMatchObject({ id: 'call_1', index: 0 });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('serializeChunks', () => {
  const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  it.each<[string, ChatAnswer]>([
    ['text', { kind: 'text', content: 'say "hi" \\ then\n\u0000 stop 🙂', finishReason: 'stop' }],
    ['tool call', { kind: 'tool-call', callId: 'call_1', name: 'f', arguments: '{"a":"b c"}' }],
  ])('writes exactly what JSON.stringify writes for a %s stream', (_name, answer) => {
    for (const chunks of [
      buildChatCompletionChunks(identity, answer, usage),
      buildChatCompletionChunks({ ...identity, model: '"quoted" model' }, answer, undefined),
    ]) {
      expect(serializeChunks(chunks)).toEqual(chunks.map((chunk) => JSON.stringify(chunk)));
    }
  });
});

describe('mock token count and embeddings', () => {
  it('counts ceil(characters / 4) tokens', () => {
    expect([0, 1, 4, 5, 8].map((length) => estimateMockTokens('x'.repeat(length)))).toEqual([
      0, 1, 1, 2, 2,
    ]);
  });

  it('derives the same unit vector from the same text only', () => {
    expect(mockEmbedding('alpha', 16)).toEqual(mockEmbedding('alpha', 16));
    expect(mockEmbedding('alpha', 16)).not.toEqual(mockEmbedding('alphb', 16));
    expect(Math.hypot(...mockEmbedding('alpha', 16))).toBeCloseTo(1, 5);
  });
});
