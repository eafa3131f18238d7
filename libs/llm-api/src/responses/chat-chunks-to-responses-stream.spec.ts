import { describe, expect, it } from 'vitest';
import { type ChatCompletionChunk } from '../openai/chat-completion.schema';
import { ChatToResponsesStream } from './chat-chunks-to-responses-stream';
import { chatToResponsesResponse } from './chat-to-responses-response';
import { responsesRequestSchema } from './responses-request.schema';
import { responsesSettingsOf } from './responses-settings';

const settings = responsesSettingsOf(responsesRequestSchema.parse({ model: 'agent', input: 'x' }));
const ids = { responseId: 'resp_0123', createdAt: 1 };

function chunk(
  delta: ChatCompletionChunk['choices'][number]['delta'],
  finish?: string,
): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt',
    choices: [{ index: 0, delta, finish_reason: finish ?? null }],
  };
}

describe('ChatToResponsesStream', () => {
  it('streams text then a function call as Responses events with usage at the end', () => {
    const stream = new ChatToResponsesStream(settings, ids);
    const events = [
      ...stream.push(chunk({ role: 'assistant', content: 'Hel' })),
      ...stream.push(chunk({ content: 'lo' })),
      ...stream.push(
        chunk({
          tool_calls: [{ index: 0, id: 'call_1', function: { name: 'ls', arguments: '{"a"' } }],
        }),
      ),
      ...stream.push(
        chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, 'tool_calls'),
      ),
      ...stream.push({
        ...chunk({}),
        choices: [],
        usage: { prompt_tokens: 3, completion_tokens: 4 },
      }),
      ...stream.finish(),
    ];
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1)?.['response'] as ReturnType<typeof chatToResponsesResponse>;
    expect(completed.status).toBe('completed');
    expect(completed.output).toEqual([
      expect.objectContaining({
        type: 'message',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }],
      }),
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_1',
        name: 'ls',
        arguments: '{"a":1}',
        status: 'completed',
      }),
    ]);
    expect(completed.usage).toMatchObject({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
  });

  it('ends a failed stream with response.failed and nothing after it', () => {
    const stream = new ChatToResponsesStream(settings, ids);
    stream.push(chunk({ content: 'partial' }));
    const failed = stream.fail('guardrail_blocked', 'blocked');
    expect(failed.map((event) => event.type)).toEqual(['response.failed']);
    expect(failed[0]?.['response']).toMatchObject({
      status: 'failed',
      error: { code: 'guardrail_blocked', message: 'blocked' },
    });
    expect(stream.finish()).toEqual([]);
  });

  it('reports a length stop as incomplete, streamed and not', () => {
    const stream = new ChatToResponsesStream(settings, ids);
    stream.push(chunk({ content: 'cut' }, 'length'));
    expect(stream.finish().at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
    const response = chatToResponsesResponse(
      {
        id: 'c',
        object: 'chat.completion',
        created: 1,
        model: 'gpt',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'cut' }, finish_reason: 'length' },
        ],
      },
      settings,
      ids,
    );
    expect(response).toMatchObject({ status: 'incomplete', model: 'agent', usage: null });
  });
});
