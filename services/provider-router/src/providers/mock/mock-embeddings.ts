import { type Usage } from '@aigw/contracts';
import { type EmbeddingRequest } from '@aigw/llm-api';

/** Vector length when the request names no `dimensions`. */
export const mockEmbeddingDimensions = 16;

/**
 * The built-in mock's embeddings answer in OpenAI format: one unit-length vector per input,
 * derived only from the input (so equal texts get equal vectors) and float32-exact, as base64
 * little-endian float32 when `encoding_format` is "base64". One token per 4 characters of text,
 * one per token id.
 */
export function mockEmbeddingsAnswer(request: EmbeddingRequest): { body: object; usage: Usage } {
  const dimensions = request.dimensions ?? mockEmbeddingDimensions;
  let promptTokens = 0;
  const data = inputsOf(request.input).map((input, index) => {
    promptTokens +=
      typeof input === 'string' ? Math.max(1, Math.ceil(input.length / 4)) : input.length;
    const vector = deterministicVector(
      typeof input === 'string' ? input : input.join(','),
      dimensions,
    );
    return {
      object: 'embedding',
      index,
      embedding:
        request.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector,
    };
  });
  return {
    body: {
      object: 'list',
      data,
      model: request.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
    usage: { promptTokens, completionTokens: 0, cachedTokens: 0, reasoningTokens: 0 },
  };
}

function inputsOf(input: EmbeddingRequest['input']): Array<string | number[]> {
  if (typeof input === 'string') return [input];
  if (input.every((item): item is number => typeof item === 'number')) return [input];
  return input.filter((item): item is string | number[] => typeof item !== 'number');
}

/** A unit vector seeded by the text's FNV-1a hash (xorshift32 steps), float32-exact. */
export function deterministicVector(text: string, dimensions: number): number[] {
  let state = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    state ^= text.charCodeAt(index);
    state = Math.imul(state, 0x01000193);
  }
  state = state >>> 0 || 1;
  const raw = Array.from({ length: dimensions }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000 - 0.5;
  });
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.fround(value / norm));
}
