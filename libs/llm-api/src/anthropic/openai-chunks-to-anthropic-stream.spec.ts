import { describe, expect, it } from 'vitest';
import { chatCompletionChunkSchema } from '../openai/chat-completion.schema';
import { anthropicStreamEventSchema } from './anthropic-stream-event.schema';
import { anthropicSseFrame, OpenAiToAnthropicStream } from './openai-chunks-to-anthropic-stream';

const chunk = (delta: unknown, finishReason: string | null = null, usage?: unknown) =>
  chatCompletionChunkSchema.parse({
    id: 'chatcmpl-9',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: usage ? [] : [{ index: 0, delta, finish_reason: finishReason }],
    usage,
  });

function run(chunks: ReturnType<typeof chunk>[]) {
  const translator = new OpenAiToAnthropicStream('chat');
  const events = [...chunks.flatMap((item) => translator.push(item)), ...translator.finish()];
  for (const event of events)
    expect(anthropicStreamEventSchema.safeParse(event).success).toBe(true);
  return events;
}

describe('OpenAiToAnthropicStream', () => {
  it('wraps text deltas in message_start, one text block, message_delta and message_stop', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({}, 'stop'),
      chunk(undefined, null, {
        prompt_tokens: 9,
        completion_tokens: 2,
        prompt_tokens_details: { cached_tokens: 4 },
      }),
    ]);

    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({
      message: { id: 'msg_chatcmpl-9', model: 'gpt-4o-mini', role: 'assistant', content: [] },
    });
    expect(events[2]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Hel' },
    });
    expect(events[5]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 5,
        output_tokens: 2,
        cache_read_input_tokens: 4,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('opens a tool_use block per tool call, streaming arguments as input_json_delta', () => {
    const events = run([
      chunk({ role: 'assistant', content: 'On it.' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
      chunk({
        tool_calls: [
          { index: 1, id: 'call_2', type: 'function', function: { name: 'g', arguments: '{}' } },
        ],
      }),
      chunk({}, 'tool_calls'),
    ]);

    const summary = events.map((event) =>
      event.type === 'content_block_start'
        ? `start ${event.index} ${event.content_block.type} ${event.content_block.id ?? ''}`
        : event.type === 'content_block_delta'
          ? `delta ${event.index} ${JSON.stringify(event.delta)}`
          : event.type === 'content_block_stop'
            ? `stop ${event.index}`
            : event.type,
    );
    expect(summary).toEqual([
      'message_start',
      'start 0 text ',
      'delta 0 {"type":"text_delta","text":"On it."}',
      'stop 0',
      'start 1 tool_use call_1',
      'delta 1 {"type":"input_json_delta","partial_json":"{\\"a\\""}',
      'delta 1 {"type":"input_json_delta","partial_json":":1}"}',
      'stop 1',
      'start 2 tool_use call_2',
      'delta 2 {"type":"input_json_delta","partial_json":"{}"}',
      'stop 2',
      'message_delta',
      'message_stop',
    ]);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('still produces a whole message for an empty stream', () => {
    const translator = new OpenAiToAnthropicStream('chat');
    expect(translator.finish().map((event) => event.type)).toEqual([
      'message_start',
      'message_delta',
      'message_stop',
    ]);
    expect(translator.finish()).toEqual([]);
  });

  it('frames events with the event name the Anthropic SDK dispatches on', () => {
    expect(anthropicSseFrame({ type: 'ping' })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});
