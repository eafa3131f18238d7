import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from '../openai/chat-completion-request.schema';
import { anthropicMessagesRequestSchema } from './anthropic-request.schema';
import { defaultAnthropicMaxTokens, openAiToAnthropicRequest } from './openai-to-anthropic-request';

function translate(body: unknown) {
  const translated = openAiToAnthropicRequest(chatCompletionRequestSchema.parse(body));
  // Whatever comes out must be a valid Anthropic request.
  expect(anthropicMessagesRequestSchema.safeParse(translated).success).toBe(true);
  return translated;
}

describe('openAiToAnthropicRequest', () => {
  it('moves system and developer messages to `system` and defaults max_tokens', () => {
    const translated = translate({
      model: 'claude-x',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
        { role: 'user', content: 'Hello' },
      ],
      stop: 'END',
      temperature: 1.7,
      user: 'u-1',
    });

    expect(translated).toEqual({
      model: 'claude-x',
      max_tokens: defaultAnthropicMaxTokens,
      system: 'Be brief.\n\nUse French.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stop_sequences: ['END'],
      temperature: 1,
      metadata: { user_id: 'u-1' },
    });
  });

  it('prefers max_completion_tokens, keeps stream and stop lists', () => {
    const translated = translate({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 10,
      max_completion_tokens: 20,
      stream: true,
      stop: ['a', 'b'],
    });
    expect(translated).toMatchObject({ max_tokens: 20, stream: true, stop_sequences: ['a', 'b'] });
  });

  it('turns data-URL and remote images into image blocks', () => {
    const translated = translate({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(translated.messages[0]!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('turns tool calls into tool_use blocks and tool messages into one user turn of tool_results', () => {
    const translated = translate({
      model: 'm',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris"}' },
            },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'rain' }] },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });

    expect(translated.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'rain' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
    expect(translated.tools).toEqual([
      {
        name: 'weather',
        description: 'Current weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ]);
    expect(translated.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    [
      { type: 'function', function: { name: 'weather' } },
      { type: 'tool', name: 'weather' },
    ],
  ])('maps tool_choice %j', (choice, expected) => {
    const translated = translate({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'weather' } }],
      tool_choice: choice,
    });
    expect(translated.tool_choice).toEqual(expected);
    expect(translated.tools?.[0]?.input_schema).toEqual({ type: 'object', properties: {} });
  });
});
