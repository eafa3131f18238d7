import { describe, expect, it } from 'vitest';
import { anthropicStreamEventSchema } from './anthropic-stream-event.schema';
import { AnthropicToOpenAiStream } from './anthropic-stream-to-openai-chunks';

function run(events: unknown[]) {
  const translator = new AnthropicToOpenAiStream(1);
  return events.flatMap((event) => translator.push(anthropicStreamEventSchema.parse(event)));
}

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 30 },
  },
};

describe('AnthropicToOpenAiStream', () => {
  it('turns a text stream into role, content, finish and usage chunks', () => {
    const chunks = run([
      messageStart,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { output_tokens: 6 },
      },
      { type: 'message_stop' },
    ]);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hel' },
      { content: 'lo' },
      {},
      null,
    ]);
    expect(chunks.every((chunk) => chunk.id === 'msg_1' && chunk.model === 'claude-x')).toBe(true);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[3]!.choices[0]!.finish_reason).toBe('length');
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 42,
        completion_tokens: 6,
        prompt_tokens_details: { cached_tokens: 30 },
      },
    });
  });

  it('streams tool_use blocks as tool_calls deltas with their own indexes', () => {
    const chunks = run([
      messageStart,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'Let me check.' },
      },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"ci' },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: 'ty":"Rome"}' },
      },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_2', name: 'time', input: {} },
      },
      { type: 'content_block_stop', index: 2 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ]);

    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolDeltas).toEqual([
      { index: 0, id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '' } },
      { index: 0, function: { arguments: '{"ci' } },
      { index: 0, function: { arguments: 'ty":"Rome"}' } },
      { index: 1, id: 'toolu_2', type: 'function', function: { name: 'time', arguments: '' } },
    ]);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
  });
});
