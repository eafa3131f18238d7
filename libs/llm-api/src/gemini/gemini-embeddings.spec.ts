import { describe, expect, it } from 'vitest';
import { geminiBatchEmbedResponseSchema } from './gemini-embed.schema';
import { geminiToOpenAiEmbeddings } from './gemini-to-openai-embeddings';
import { openAiToGeminiEmbedRequest } from './openai-to-gemini-embed-request';

describe('openAiToGeminiEmbedRequest', () => {
  it('sends one request per text with the model as a resource name and dimensions', () => {
    const translated = openAiToGeminiEmbedRequest({
      model: 'text-embedding-004',
      input: ['one', 'two'],
      dimensions: 8,
    });

    expect(translated).toEqual({
      ok: true,
      request: {
        requests: [
          {
            model: 'models/text-embedding-004',
            content: { parts: [{ text: 'one' }] },
            outputDimensionality: 8,
          },
          {
            model: 'models/text-embedding-004',
            content: { parts: [{ text: 'two' }] },
            outputDimensionality: 8,
          },
        ],
      },
    });
  });

  it('takes a single text and a model already named models/…, without outputDimensionality', () => {
    const translated = openAiToGeminiEmbedRequest({
      model: 'models/gemini-embedding-001',
      input: 'hello',
    });

    expect(translated).toEqual({
      ok: true,
      request: {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello' }] } },
        ],
      },
    });
  });

  it.each([
    ['one list of token ids', [1, 2, 3]],
    ['a list of token-id lists', [[1, 2], [3]]],
  ])('refuses %s with an invalid_request_error on input', (_name, input) => {
    const translated = openAiToGeminiEmbedRequest({ model: 'text-embedding-004', input });

    expect(translated).toEqual({
      ok: false,
      error: {
        error: {
          message: expect.stringContaining('token-id') as unknown,
          type: 'invalid_request_error',
          param: 'input',
          code: 'unsupported_input',
        },
      },
    });
  });
});

describe('geminiToOpenAiEmbeddings', () => {
  const response = geminiBatchEmbedResponseSchema.parse({
    embeddings: [{ values: [0.5, -0.25] }, { values: [1, 0.1] }],
  });

  it('answers float vectors in order with estimated prompt tokens', () => {
    const translated = geminiToOpenAiEmbeddings(response, {
      model: 'text-embedding-004',
      input: ['abcde', 'abc'],
      encoding_format: 'float',
    });

    expect(translated).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -0.25] },
        { object: 'embedding', index: 1, embedding: [1, 0.1] },
      ],
      model: 'text-embedding-004',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it('answers base64 of little-endian float32 bytes when base64 is asked', () => {
    const translated = geminiToOpenAiEmbeddings(response, {
      model: 'text-embedding-004',
      input: ['abcde', 'abc'],
      encoding_format: 'base64',
    });

    const decoded = translated.data.map(({ embedding }) => {
      const bytes = Buffer.from(embedding as string, 'base64');
      return Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
    });
    expect(translated.data[0]!.embedding).toBe(
      Buffer.from(new Float32Array([0.5, -0.25]).buffer).toString('base64'),
    );
    expect(decoded).toEqual([
      [0.5, -0.25],
      [1, Math.fround(0.1)],
    ]);
  });
});
