import { describe, expect, it } from 'vitest';
import { embeddingRequestSchema } from './embedding-request.schema';
import { applyEmbeddingTextParts, embeddingTextParts } from './embedding-text-parts';

describe('embedding text parts', () => {
  it('reads and writes back a single text input', () => {
    const request = embeddingRequestSchema.parse({ model: 'e', input: 'mail a@b.co' });
    expect(embeddingTextParts(request)).toEqual([{ path: 'input', text: 'mail a@b.co' }]);
    applyEmbeddingTextParts(request, [{ path: 'input', text: 'mail [EMAIL_1]' }]);
    expect(request.input).toBe('mail [EMAIL_1]');
  });

  it('addresses each text of a list and leaves the others alone', () => {
    const request = embeddingRequestSchema.parse({
      model: 'e',
      input: ['first', 'call +1 415 555 0132'],
      encoding_format: 'base64',
    });
    expect(embeddingTextParts(request)).toEqual([
      { path: 'input.0', text: 'first' },
      { path: 'input.1', text: 'call +1 415 555 0132' },
    ]);
    applyEmbeddingTextParts(request, [{ path: 'input.1', text: 'call [PHONE_1]' }]);
    expect(request.input).toEqual(['first', 'call [PHONE_1]']);
    expect(request.encoding_format).toBe('base64');
  });

  it('has no text to guard in token ids', () => {
    const single = embeddingRequestSchema.parse({ model: 'e', input: [1, 2, 3] });
    const many = embeddingRequestSchema.parse({ model: 'e', input: [[1], [2, 3]] });
    expect(embeddingTextParts(single)).toEqual([]);
    expect(embeddingTextParts(many)).toEqual([]);
  });

  it('rejects an empty or mistyped input', () => {
    expect(embeddingRequestSchema.safeParse({ model: 'e', input: [] }).success).toBe(false);
    expect(embeddingRequestSchema.safeParse({ model: 'e', input: { text: 'x' } }).success).toBe(
      false,
    );
    expect(embeddingRequestSchema.safeParse({ model: 'e', input: ['a', 1] }).success).toBe(false);
  });
});
