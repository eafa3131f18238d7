import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../openai/chat-completion.schema';
import { anthropicMessageSchema } from './anthropic-message.schema';
import { anthropicToOpenAiCompletion } from './anthropic-to-openai-completion';

const base = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  stop_sequence: null,
};

describe('anthropicToOpenAiCompletion', () => {
  it('maps text, stop reason and usage including cache reads and writes', () => {
    const completion = anthropicToOpenAiCompletion(
      anthropicMessageSchema.parse({
        ...base,
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 's' },
          { type: 'text', text: 'Hello ' },
          { type: 'text', text: 'there' },
        ],
        stop_reason: 'end_turn',
        usage: {
          input_tokens: 10,
          output_tokens: 5,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 7,
        },
      }),
      1234,
    );

    expect(chatCompletionSchema.safeParse(completion).success).toBe(true);
    expect(completion).toMatchObject({
      id: 'msg_01',
      object: 'chat.completion',
      created: 1234,
      model: 'claude-x',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' },
      ],
      usage: {
        prompt_tokens: 117,
        completion_tokens: 5,
        total_tokens: 122,
        prompt_tokens_details: { cached_tokens: 100 },
      },
    });
  });

  it('turns tool_use blocks into tool_calls with JSON arguments', () => {
    const completion = anthropicToOpenAiCompletion(
      anthropicMessageSchema.parse({
        ...base,
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Rome' } }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 1, output_tokens: 2 },
      }),
    );

    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'toolu_1',
        type: 'function',
        function: { name: 'weather', arguments: '{"city":"Rome"}' },
      },
    ]);
  });

  it.each([
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
  ])('maps stop_reason %s to finish_reason %s', (stopReason, finishReason) => {
    const completion = anthropicToOpenAiCompletion(
      anthropicMessageSchema.parse({
        ...base,
        content: [{ type: 'text', text: 'x' }],
        stop_reason: stopReason,
        usage: { input_tokens: 1, output_tokens: 1 },
      }),
    );
    expect(completion.choices[0]!.finish_reason).toBe(finishReason);
  });
});
