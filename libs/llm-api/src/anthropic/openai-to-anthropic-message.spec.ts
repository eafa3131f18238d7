import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../openai/chat-completion.schema';
import { anthropicMessageSchema } from './anthropic-message.schema';
import { openAiToAnthropicMessage } from './openai-to-anthropic-message';

const completion = (choice: unknown, usage: unknown = undefined) =>
  chatCompletionSchema.parse({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [choice],
    usage,
  });

describe('openAiToAnthropicMessage', () => {
  it('maps content, stop reason and usage (cached tokens as cache reads)', () => {
    const message = openAiToAnthropicMessage(
      completion(
        { index: 0, message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'length' },
        { prompt_tokens: 50, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 20 } },
      ),
    );

    expect(anthropicMessageSchema.safeParse(message).success).toBe(true);
    expect(message).toEqual({
      id: 'msg_chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-mini',
      content: [{ type: 'text', text: 'Hi!' }],
      stop_reason: 'max_tokens',
      stop_sequence: null,
      usage: {
        input_tokens: 30,
        output_tokens: 3,
        cache_read_input_tokens: 20,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('turns tool calls into tool_use blocks with parsed input', () => {
    const message = openAiToAnthropicMessage(
      completion({
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
            { id: 'call_2', type: 'function', function: { name: 'g', arguments: 'not json' } },
          ],
        },
        finish_reason: 'tool_calls',
      }),
    );

    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
      { type: 'tool_use', id: 'call_2', name: 'g', input: { arguments: 'not json' } },
    ]);
  });
});
