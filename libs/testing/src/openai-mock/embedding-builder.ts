import { type CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { estimateMockTokens } from './mock-tokens';
import { type MockEmbeddingRequest } from './openai-request.schema';

/**
 * The embeddings response: one unit-length vector per input, derived only from the input's
 * text (or token ids) and the dimension, so equal inputs always get equal vectors. With
 * `encoding_format: "base64"` (what the SDK asks for by default) each vector is the base64 of
 * its little-endian float32 bytes. Usage counts {@link estimateMockTokens} per text input and
 * one token per token id.
 */
export function buildEmbeddingResponse(
  request: MockEmbeddingRequest,
  defaultDimensions: number,
): CreateEmbeddingResponse {
  const dimensions = request.dimensions ?? defaultDimensions;
  const base64 = request.encoding_format === 'base64';
  let tokens = 0;
  const data = inputsOf(request.input).map((input, index) => {
    tokens += typeof input === 'string' ? estimateMockTokens(input) : input.length;
    const vector = mockEmbedding(typeof input === 'string' ? input : input.join(','), dimensions);
    return {
      object: 'embedding' as const,
      index,
      // The wire carries a base64 string where the SDK's type says number[]; the SDK decodes it.
      embedding: base64 ? (toBase64(vector) as unknown as number[]) : vector,
    };
  });
  return {
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** The mock's deterministic embedding of a text: unit length, float32-exact components. */
export function mockEmbedding(text: string, dimensions: number): number[] {
  const random = mulberry32(fnv1a(text));
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

function inputsOf(input: MockEmbeddingRequest['input']): Array<string | number[]> {
  if (typeof input === 'string') return [input];
  if (input.every((item): item is number => typeof item === 'number')) return [input];
  return input.filter((item): item is string | number[] => typeof item !== 'number');
}

function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// A tiny seeded PRNG: fast, and the same seed always yields the same sequence.
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
