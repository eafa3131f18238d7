import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from '../openai/chat-completion-request.schema';
import { anthropicMessagesRequestSchema } from './anthropic-request.schema';
import { anthropicToOpenAiRequest } from './anthropic-to-openai-request';

function translate(body: unknown) {
  const translated = anthropicToOpenAiRequest(anthropicMessagesRequestSchema.parse(body));
  expect(chatCompletionRequestSchema.safeParse(translated).success).toBe(true);
  return translated;
}

describe('anthropicToOpenAiRequest', () => {
  it('makes `system` the first message and keeps limits and sampling', () => {
    const translated = translate({
      model: 'chat',
      max_tokens: 256,
      system: [
        { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Answer in English.' },
      ],
      messages: [{ role: 'user', content: 'Hi' }],
      stop_sequences: ['###'],
      temperature: 0.2,
      top_k: 5,
      metadata: { user_id: 'u-9' },
    });

    expect(translated).toEqual({
      model: 'chat',
      max_tokens: 256,
      messages: [
        { role: 'system', content: 'You are terse.\n\nAnswer in English.' },
        { role: 'user', content: 'Hi' },
      ],
      stop: ['###'],
      temperature: 0.2,
      user: 'u-9',
    });
  });

  it('asks for usage when streaming', () => {
    const translated = translate({
      model: 'chat',
      max_tokens: 1,
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(translated).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('translates tool use, tool results (before the user text) and images', () => {
    const translated = translate({
      model: 'chat',
      max_tokens: 100,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'need a tool', signature: 'x' },
            { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'text', text: 'snow' }],
            },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
      tools: [
        { name: 'weather', description: 'Weather', input_schema: { type: 'object' } },
        { type: 'web_search_20250305', name: 'web_search' },
      ],
      tool_choice: { type: 'tool', name: 'weather', disable_parallel_tool_use: true },
    });

    expect(translated.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather here?' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'snow' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
    expect(translated['tools']).toEqual([
      {
        type: 'function',
        function: { name: 'weather', description: 'Weather', parameters: { type: 'object' } },
      },
    ]);
    expect(translated['tool_choice']).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(translated['parallel_tool_calls']).toBe(false);
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
  ])('maps tool_choice %j to %j', (choice, expected) => {
    const translated = translate({
      model: 'chat',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: choice,
    });
    expect(translated['tool_choice']).toBe(expected);
  });

  it('keeps a mid-conversation system message (Claude Code sends them) in place', () => {
    const translated = translate({
      model: 'chat',
      max_tokens: 64,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Agents:' },
            { type: 'text', text: 'x' },
          ],
        },
        { role: 'system', content: 'Skills: none' },
      ],
    });
    expect(translated.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'system', content: 'Agents:\n\nx' },
      { role: 'system', content: 'Skills: none' },
    ]);
  });
});
