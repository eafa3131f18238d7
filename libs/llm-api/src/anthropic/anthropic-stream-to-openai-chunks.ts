import {
  type ChatCompletionChunk,
  type ChatCompletionChunkChoice,
} from '../openai/chat-completion.schema';
import { type AnthropicUsage } from './anthropic-message.schema';
import { type AnthropicStreamEvent } from './anthropic-stream-event.schema';
import { openAiUsageOfAnthropic } from './anthropic-usage-mapping';
import { finishReasonOfStopReason } from './stop-reason-mapping';

/**
 * Turns the events of one Anthropic Messages stream into OpenAI `chat.completion.chunk`
 * objects, one stream per instance. `message_start` gives the role chunk, text and tool input
 * deltas give content and `tool_calls` deltas, `message_delta` the finish reason, and
 * `message_stop` a last usage-only chunk (`choices: []`), as OpenAI sends with `include_usage`.
 * `ping` gives nothing; an `error` event is the caller's to handle.
 */
export class AnthropicToOpenAiStream {
  private id = '';
  private model = '';
  private usage: AnthropicUsage = {};
  /** Content block index → index of the tool call it carries. */
  private readonly toolCallIndexes = new Map<number, number>();

  constructor(private readonly created = Math.floor(Date.now() / 1000)) {}

  push(event: AnthropicStreamEvent): ChatCompletionChunk[] {
    switch (event.type) {
      case 'message_start':
        this.id = event.message.id;
        this.model = event.message.model;
        this.usage = { ...event.message.usage };
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          const index = this.toolCallIndexes.size;
          this.toolCallIndexes.set(event.index, index);
          return [
            this.chunk({
              tool_calls: [
                {
                  index,
                  id: block.id ?? '',
                  type: 'function',
                  function: { name: block.name ?? '', arguments: '' },
                },
              ],
            }),
          ];
        }
        if (block.type === 'text' && block.text) return [this.chunk({ content: block.text })];
        return [];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta' && typeof delta['text'] === 'string') {
          return [this.chunk({ content: delta['text'] })];
        }
        const index = this.toolCallIndexes.get(event.index);
        if (
          delta.type === 'input_json_delta' &&
          typeof delta['partial_json'] === 'string' &&
          index !== undefined
        ) {
          return [
            this.chunk({ tool_calls: [{ index, function: { arguments: delta['partial_json'] } }] }),
          ];
        }
        return [];
      }
      case 'message_delta':
        this.mergeUsage(event.usage);
        return [this.chunk({}, finishReasonOfStopReason(event.delta.stop_reason))];
      case 'message_stop':
        return [{ ...this.chunk({}), choices: [], usage: openAiUsageOfAnthropic(this.usage) }];
      case 'content_block_stop':
      case 'ping':
      case 'error':
        return [];
    }
  }

  /** Usage so far (complete after `message_stop`). */
  get currentUsage(): AnthropicUsage {
    return this.usage;
  }

  private mergeUsage(usage: AnthropicUsage | null | undefined): void {
    if (!usage) return;
    // message_delta counts are cumulative: a present field replaces the earlier value.
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
    ] as const) {
      const value = usage[key];
      if (typeof value === 'number') this.usage[key] = value;
    }
  }

  private chunk(
    delta: ChatCompletionChunkChoice['delta'],
    finishReason: string | null = null,
  ): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}
