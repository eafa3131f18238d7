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
    expect(limitDemandOf(body)).toMatchObject({
      estimatedPromptTokens: 111,
      maxOutputTokens: 300,
    });
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
    expect(limitDemandOf(without)).toMatchObject({
      estimatedPromptTokens: 5,
      maxOutputTokens: undefined,
    });
  });

  it('counts embeddings input text', () => {
    const body = readEmbeddingsBody({ model: 'vectors', input: ['abcd', 'efgh'] });
    expect(limitDemandOf(body)).toMatchObject({
      estimatedPromptTokens: 2,
      maxOutputTokens: undefined,
    });
  });

  it('bounds the prompt by the bytes of every text, tools included, and a fixed allowance per image', () => {
    // 'é' is one character but two UTF-8 bytes: a tokenizer may make two tokens of it.
    const text = 'é'.repeat(100);
    const tools = [
      {
        type: 'function',
        function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
      },
    ];
    const plain = limitDemandOf(
      chatBody({ model: 'm', messages: [{ role: 'user', content: text }] }),
    );
    const withTools = limitDemandOf(
      chatBody({ model: 'm', messages: [{ role: 'user', content: text }], tools }),
    );
    const withImage = limitDemandOf(
      chatBody({
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text },
              {
                type: 'image_url',
                image_url: { url: `data:image/png;base64,${'A'.repeat(50_000)}` },
              },
            ],
          },
        ],
      }),
    );

    expect(plain.estimatedPromptTokens).toBe(29);
    expect(plain.promptTokensUpperBound).toBeGreaterThanOrEqual(200 + 8);
    expect(plain.promptTokensUpperBound).toBeLessThan(300);
    // Every byte of the tool definitions' JSON counts.
    expect(withTools.promptTokensUpperBound - plain.promptTokensUpperBound).toBeGreaterThanOrEqual(
      JSON.stringify(tools).length,
    );
    // The image's 50 000 bytes of base64 count as the allowance, not as text.
    expect(withImage.promptTokensUpperBound).toBeGreaterThan(2_000 + 200);
    expect(withImage.promptTokensUpperBound).toBeLessThan(2_600);
  });

  it('bounds a hostile deeply nested unknown field without exhausting the stack', () => {
    let nested: unknown = 'x';
    for (let depth = 0; depth < 100_000; depth++) nested = [nested];
    const demand = limitDemandOf(
      chatBody({ model: 'm', messages: [{ role: 'user', content: 'hi' }], extra: nested }),
    );
    expect(demand.promptTokensUpperBound).toBeGreaterThan(100);
  });

  it('leaves the bound out (0) when no budget needs it', () => {
    const body = chatBody({ model: 'm', messages: [{ role: 'user', content: 'hello' }] });
    expect(limitDemandOf(body, { promptBound: false }).promptTokensUpperBound).toBe(0);
    expect(limitDemandOf(body).promptTokensUpperBound).toBeGreaterThan(0);
  });
});
