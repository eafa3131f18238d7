import { type ChatUsage } from '../openai/chat-usage';
import { type ChatCompletionChunk } from '../openai/chat-completion.schema';
import { type AnthropicStreamEvent } from './anthropic-stream-event.schema';
import { anthropicUsageOfOpenAi } from './anthropic-usage-mapping';
import { anthropicMessageId } from './openai-to-anthropic-message';
import { stopReasonOfFinishReason } from './stop-reason-mapping';

type OpenBlock =
  | { readonly kind: 'text'; readonly index: number }
  | { readonly kind: 'tool_use'; readonly index: number; readonly toolCall: number };

/**
 * Turns the `chat.completion.chunk` objects of one OpenAI stream into Anthropic stream events,
 * one stream per instance: `message_start` before the first content, a text or `tool_use`
 * content block (start, deltas, stop) for each run of text and each tool call, and on
 * `finish()` the `message_delta` with stop reason and usage, then `message_stop`.
 */
export class OpenAiToAnthropicStream {
  private started = false;
  private finished = false;
  private nextBlock = 0;
  private open: OpenBlock | undefined;
  private finishReason: string | null | undefined;
  private usage: ChatUsage | undefined;

  /** @param model the model named in `message_start` until a chunk names one. */
  constructor(private readonly model = '') {}

  push(chunk: ChatCompletionChunk): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (!this.started) events.push(this.messageStart(chunk));
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return events;
    const { content, tool_calls: toolCalls } = choice.delta;
    if (typeof content === 'string' && content !== '') {
      if (this.open?.kind !== 'text') {
        this.closeBlock(events);
        this.openBlock(events, { type: 'text', text: '' }, { kind: 'text' });
      }
      events.push(this.delta({ type: 'text_delta', text: content }));
    }
    for (const call of toolCalls ?? []) {
      // Each tool call has its own index; arguments follow the chunk that named it.
      if (this.open?.kind !== 'tool_use' || this.open.toolCall !== call.index) {
        this.closeBlock(events);
        this.openBlock(
          events,
          {
            type: 'tool_use',
            id: call.id ?? `toolu_${call.index}`,
            name: call.function?.name ?? '',
            input: {},
          },
          { kind: 'tool_use', toolCall: call.index },
        );
      }
      const args = call.function?.arguments;
      if (typeof args === 'string' && args !== '') {
        events.push(this.delta({ type: 'input_json_delta', partial_json: args }));
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /** The closing events; call once when the OpenAI stream ended normally. */
  finish(): AnthropicStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const events: AnthropicStreamEvent[] = [];
    if (!this.started) events.push(this.messageStart(undefined));
    this.closeBlock(events);
    const usage = anthropicUsageOfOpenAi(this.usage);
    events.push({
      type: 'message_delta',
      delta: { stop_reason: stopReasonOfFinishReason(this.finishReason), stop_sequence: null },
      usage,
    });
    events.push({ type: 'message_stop' });
    return events;
  }

  private messageStart(chunk: ChatCompletionChunk | undefined): AnthropicStreamEvent {
    this.started = true;
    return {
      type: 'message_start',
      message: {
        id: anthropicMessageId(chunk?.id ?? `gw_${Date.now().toString(36)}`),
        type: 'message',
        role: 'assistant',
        model: chunk?.model || this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // OpenAI reports usage only at the end; message_delta carries the real counts.
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    };
  }

  private openBlock(
    events: AnthropicStreamEvent[],
    contentBlock: Record<string, unknown> & { type: string },
    block: { kind: 'text' } | { kind: 'tool_use'; toolCall: number },
  ): void {
    const index = this.nextBlock++;
    this.open = { ...block, index };
    events.push({ type: 'content_block_start', index, content_block: contentBlock });
  }

  private closeBlock(events: AnthropicStreamEvent[]): void {
    if (!this.open) return;
    events.push({ type: 'content_block_stop', index: this.open.index });
    this.open = undefined;
  }

  private delta(delta: { type: string } & Record<string, unknown>): AnthropicStreamEvent {
    return { type: 'content_block_delta', index: this.open?.index ?? 0, delta };
  }
}

/** One event as an SSE frame, with the `event:` line the Anthropic SDK dispatches on. */
export function anthropicSseFrame(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
