import { describe, expect, it } from 'vitest';
import { chatBody, readEmbeddingsBody } from './governed-body';
import { limitDemandOf } from './limit-demand';

describe('limitDemandOf', () => {
  it('estimates prompt tokens as characters / 4 plus 4 per message, and reads max_tokens', () => {
    const body = chatBody({
      model: 'chat',
      max_tokens: 300,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'x'.repeat(400) },
      ],
    });

    // ceil((9 + 400) / 4) + 2 × 4
    expect(limitDemandOf(body)).toEqual({ estimatedPromptTokens: 111, maxOutputTokens: 300 });
  });

  it('prefers max_completion_tokens and leaves the cap to the endpoint when none is given', () => {
    const withCompletion = chatBody({
      model: 'chat',
      max_tokens: 300,
      max_completion_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const without = chatBody({
      model: 'chat',
      messages: [{ role: 'user', content: 'hi' }],
    });

    expect(limitDemandOf(withCompletion).maxOutputTokens).toBe(50);
    expect(limitDemandOf(without)).toEqual({
      estimatedPromptTokens: 5,
      maxOutputTokens: undefined,
    });
  });

  it('counts embeddings input text', () => {
    const body = readEmbeddingsBody({ model: 'vectors', input: ['abcd', 'efgh'] });
    expect(limitDemandOf(body)).toEqual({ estimatedPromptTokens: 2, maxOutputTokens: undefined });
  });
});
