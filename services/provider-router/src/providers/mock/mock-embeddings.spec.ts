import { describe, expect, it } from 'vitest';
import { MockAdapter } from './mock.adapter';
import { mockEmbeddingDimensions } from './mock-embeddings';

interface EmbeddingsJson {
  object: string;
  model: string;
  data: { object: string; index: number; embedding: number[] | string }[];
  usage: { prompt_tokens: number; total_tokens: number };
}

async function embed(request: Parameters<MockAdapter['embed']>[0]) {
  const answer = await new MockAdapter(0).embed(request, new AbortController().signal);
  return { json: JSON.parse(answer.body.toString('utf8')) as EmbeddingsJson, usage: answer.usage };
}

describe('MockAdapter.embed', () => {
  it('answers one deterministic unit vector per text, with prompt-token usage', async () => {
    const first = await embed({ model: 'mock-embed', input: ['hello there', 'other text'] });
    const again = await embed({ model: 'mock-embed', input: 'hello there' });

    expect(first.json).toMatchObject({ object: 'list', model: 'mock-embed' });
    expect(first.json.data.map((item) => item.index)).toEqual([0, 1]);
    const [hello, other] = first.json.data.map((item) => item.embedding as number[]);
    expect(hello).toHaveLength(mockEmbeddingDimensions);
    expect(Math.hypot(...hello!)).toBeCloseTo(1, 5);
    expect(again.json.data[0]!.embedding).toEqual(hello);
    expect(other).not.toEqual(hello);
    // "hello there" is 11 characters (3 tokens), "other text" 10 (3 tokens).
    expect(first.usage).toEqual({
      promptTokens: 6,
      completionTokens: 0,
      cachedTokens: 0,
      reasoningTokens: 0,
    });
    expect(first.json.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
  });

  it('encodes base64 float32 vectors when asked, with the requested dimensions', async () => {
    const float = await embed({ model: 'm', input: 'abc', dimensions: 4 });
    const base64 = await embed({
      model: 'm',
      input: 'abc',
      dimensions: 4,
      encoding_format: 'base64',
    });

    const bytes = Buffer.from(base64.json.data[0]!.embedding as string, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toEqual(float.json.data[0]!.embedding);
    expect(decoded).toHaveLength(4);
  });
});
