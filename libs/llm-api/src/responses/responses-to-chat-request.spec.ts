import { describe, expect, it } from 'vitest';
import { responsesRequestSchema } from './responses-request.schema';
import { namespacedTools, responsesToChatRequest } from './responses-to-chat-request';
import { ResponsesTranslationError } from './responses-translation-error';

function translate(body: unknown): ReturnType<typeof responsesToChatRequest> {
  return responsesToChatRequest(responsesRequestSchema.parse(body));
}

describe('responsesToChatRequest', () => {
  it('turns instructions and a string input into system and user messages', () => {
    expect(
      translate({ model: 'm', instructions: 'be brief', input: 'hi', max_output_tokens: 20 }),
    ).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      max_completion_tokens: 20,
    });
  });

  it('replays an agent turn: function_call items join the assistant message, outputs are tool messages', () => {
    const chat = translate({
      model: 'm',
      stream: true,
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'rules' }] },
        { role: 'user', content: [{ type: 'input_text', text: 'list files' }] },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Looking.', annotations: [] }],
        },
        { type: 'function_call', call_id: 'c1', name: 'ls', arguments: '{"dir":"."}' },
        { type: 'function_call', call_id: 'c2', name: 'pwd', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'a.txt' },
        {
          type: 'function_call_output',
          call_id: 'c2',
          output: [{ type: 'input_text', text: '/w' }],
        },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'developer', content: 'rules' },
      { role: 'user', content: 'list files' },
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'ls', arguments: '{"dir":"."}' } },
          { id: 'c2', type: 'function', function: { name: 'pwd', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'a.txt' },
      { role: 'tool', tool_call_id: 'c2', content: '/w' },
    ]);
    expect(chat.stream).toBe(true);
    expect(chat.stream_options).toEqual({ include_usage: true });
  });

  it('translates function tools and tool_choice, and leaves hosted tools out', () => {
    const chat = translate({
      model: 'm',
      input: 'x',
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'weather',
          parameters: { type: 'object' },
          strict: false,
        },
        { type: 'web_search', external_web_access: false },
        { type: 'namespace', name: 'ns', tools: [] },
      ],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
    });
    expect(chat['tools']).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'weather',
          parameters: { type: 'object' },
          strict: false,
        },
      },
    ]);
    expect(chat['tool_choice']).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(chat['parallel_tool_calls']).toBe(false);
  });

  it('flattens namespace tools (Codex MCP tools) to <namespace>__<name> and back', () => {
    const body = {
      model: 'm',
      tools: [
        {
          type: 'namespace',
          name: 'mcp__records',
          description: 'records server',
          tools: [{ type: 'function', name: 'get_records', parameters: { type: 'object' } }],
        },
      ],
      input: [
        {
          type: 'function_call',
          call_id: 'c1',
          namespace: 'mcp__records',
          name: 'get_records',
          arguments: '{}',
        },
      ],
    };
    const chat = translate(body);
    expect(chat['tools']).toEqual([
      {
        type: 'function',
        function: { name: 'mcp__records__get_records', parameters: { type: 'object' } },
      },
    ]);
    expect(chat.messages[0]?.tool_calls).toEqual([
      {
        id: 'c1',
        type: 'function',
        function: { name: 'mcp__records__get_records', arguments: '{}' },
      },
    ]);
    expect(namespacedTools(responsesRequestSchema.parse(body).tools)).toEqual(
      new Map([['mcp__records__get_records', { namespace: 'mcp__records', name: 'get_records' }]]),
    );
  });

  it('keeps images as image_url parts and maps text.format to response_format', () => {
    const chat = translate({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'what is this' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
      ],
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } },
    });
    expect(chat.messages[0]?.content).toEqual([
      { type: 'text', text: 'what is this' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
    ]);
    expect(chat['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object' } },
    });
  });

  it.each([
    [{ input: [{ type: 'item_reference', id: 'x' }] }, 'input.0.type'],
    [{ input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input.0.call_id'],
    [
      { input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] },
      'input.0.content.0.type',
    ],
    [{ input: 'x', tool_choice: { type: 'web_search' } }, 'tool_choice'],
  ])('refuses what it cannot honour, naming the field (%j)', (body, param) => {
    const run = (): unknown => translate({ model: 'm', ...body });
    expect(run).toThrow(ResponsesTranslationError);
    try {
      run();
    } catch (error) {
      expect((error as ResponsesTranslationError).param).toBe(param);
    }
  });
});
