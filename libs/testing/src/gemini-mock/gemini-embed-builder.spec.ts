import { describe, expect, it } from 'vitest';
import { mockEmbedding } from '../openai-mock/embedding-builder';
import { buildBatchEmbedResponse } from './gemini-embed-builder';

describe('buildBatchEmbedResponse', () => {
  it('embeds each request its own text, at its outputDimensionality or the default', () => {
    const response = buildBatchEmbedResponse(
      {
        requests: [
          { model: 'models/m', content: { parts: [{ text: 'a' }, { text: 'b' }] } },
          { model: 'models/m', content: { parts: [{ text: 'c' }] }, outputDimensionality: 3 },
        ],
      },
      5,
    );

    expect(response).toEqual({
      embeddings: [{ values: mockEmbedding('ab', 5) }, { values: mockEmbedding('c', 3) }],
    });
  });
});
