import { describe, expect, it } from 'vitest';
import { estimateAnthropicInputTokens } from './estimate-input-tokens';

describe('estimateAnthropicInputTokens', () => {
  it('counts about four characters per token over system, messages and tool inputs', () => {
    expect(
      estimateAnthropicInputTokens({
        system: 'abcd',
        messages: [
          { role: 'user', content: 'efghijkl' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }],
          },
        ],
      }),
    ).toBe(Math.ceil((4 + 8 + 1 + '{"a":1}'.length) / 4));
  });

  it('adds a flat amount per image and counts tool definitions', () => {
    const withImage = estimateAnthropicInputTokens({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: 'x'.repeat(9999) },
            },
          ],
        },
      ],
    });
    expect(withImage).toBe(1600);
    expect(estimateAnthropicInputTokens({ messages: [], tools: [{ name: 'f' }] })).toBe(
      Math.ceil('[{"name":"f"}]'.length / 4),
    );
  });
});
