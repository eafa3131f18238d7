import { type ChatCompletionChunk } from '../openai/chat-completion.schema';
import { type ChatUsage } from '../openai/chat-usage';
import { type NamespacedTool } from './responses-to-chat-request';
import {
  functionName,
  incompleteReasonOf,
  itemId,
  type ResponsesIds,
  responsesUsageOf,
} from './chat-to-responses-response';
import {
  type ResponsesFunctionCall,
  type ResponsesOutputItem,
  type ResponsesOutputMessage,
  type ResponsesResponse,
  type ResponsesSettings,
  type ResponsesStreamEvent,
} from './responses-response.types';

type OpenItem =
  | { readonly kind: 'message'; readonly index: number; readonly item: ResponsesOutputMessage }
  | {
      readonly kind: 'function_call';
      readonly index: number;
      readonly toolCall: number;
      readonly item: ResponsesFunctionCall;
    };

type EventBody = { type: string } & Record<string, unknown>;

/**
 * Turns the `chat.completion.chunk` objects of one OpenAI stream into Responses API stream
 * events, one response per instance: `response.created` and `response.in_progress` first; a
 * `message` item (output_item.added, content_part.added, output_text.delta…, output_text.done,
 * content_part.done, output_item.done) for each run of text and a `function_call` item
 * (…function_call_arguments.delta/done…) for each tool call; on `finish()`
 * `response.completed` (or `response.incomplete`) with the whole output and usage; on `fail()`
 * `response.failed`. Every event carries an increasing `sequence_number`.
 */
export class ChatToResponsesStream {
  private sequence = 0;
  private started = false;
  private ended = false;
  private open: OpenItem | undefined;
  private readonly output: ResponsesOutputItem[] = [];
  private finishReason: string | null | undefined;
  private usage: ChatUsage | undefined;

  constructor(
    private readonly settings: ResponsesSettings,
    private readonly ids: ResponsesIds,
    private readonly toolNames: ReadonlyMap<string, NamespacedTool> = new Map(),
  ) {}

  /** The output items so far (all of them once the stream finished). */
  get items(): readonly ResponsesOutputItem[] {
    return this.output;
  }

  push(chunk: ChatCompletionChunk): ResponsesStreamEvent[] {
    const events: ResponsesStreamEvent[] = [];
    if (this.ended) return events;
    this.start(events);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return events;
    const { content, tool_calls: toolCalls } = choice.delta;
    if (typeof content === 'string' && content !== '') this.text(events, content);
    for (const call of toolCalls ?? []) {
      if (this.open?.kind !== 'function_call' || this.open.toolCall !== call.index) {
        this.close(events);
        const item: ResponsesFunctionCall = {
          type: 'function_call',
          id: itemId(this.ids, 'fc', this.output.length),
          call_id: call.id ?? `call_${this.output.length}`,
          ...functionName(call.function?.name ?? '', this.toolNames),
          arguments: '',
          status: 'in_progress',
        };
        this.openItem(events, { kind: 'function_call', toolCall: call.index, item });
      }
      const delta = call.function?.arguments;
      if (this.open?.kind === 'function_call' && typeof delta === 'string' && delta !== '') {
        this.open.item.arguments += delta;
        this.emit(events, {
          type: 'response.function_call_arguments.delta',
          item_id: this.open.item.id,
          output_index: this.open.index,
          delta,
        });
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /** The closing events; call once when the chat stream ended normally. */
  finish(): ResponsesStreamEvent[] {
    const events: ResponsesStreamEvent[] = [];
    if (this.ended) return events;
    this.start(events);
    this.close(events);
    this.ended = true;
    const incomplete = incompleteReasonOf(this.finishReason);
    this.emit(events, {
      type: incomplete ? 'response.incomplete' : 'response.completed',
      response: this.snapshot(incomplete ? 'incomplete' : 'completed', {
        incomplete_details: incomplete ? { reason: incomplete } : null,
      }),
    });
    return events;
  }

  /** Ends the response as failed (the provider or a guardrail stopped the stream). */
  fail(code: string, message: string): ResponsesStreamEvent[] {
    const events: ResponsesStreamEvent[] = [];
    if (this.ended) return events;
    this.start(events);
    this.ended = true;
    this.emit(events, {
      type: 'response.failed',
      response: this.snapshot('failed', { error: { code, message } }),
    });
    return events;
  }

  private text(events: ResponsesStreamEvent[], delta: string): void {
    if (this.open?.kind !== 'message') {
      this.close(events);
      const item: ResponsesOutputMessage = {
        type: 'message',
        id: itemId(this.ids, 'msg', this.output.length),
        status: 'in_progress',
        role: 'assistant',
        content: [],
      };
      this.openItem(events, { kind: 'message', item });
      const part = { type: 'output_text' as const, text: '', annotations: [], logprobs: [] };
      item.content.push(part);
      this.emit(events, {
        type: 'response.content_part.added',
        item_id: item.id,
        output_index: this.output.length - 1,
        content_index: 0,
        part: { ...part },
      });
    }
    const open = this.open as Extract<OpenItem, { kind: 'message' }>;
    const part = open.item.content[0]!;
    part.text += delta;
    this.emit(events, {
      type: 'response.output_text.delta',
      item_id: open.item.id,
      output_index: open.index,
      content_index: 0,
      delta,
      logprobs: [],
    });
  }

  private start(events: ResponsesStreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    const response = this.snapshot('in_progress');
    this.emit(events, { type: 'response.created', response });
    this.emit(events, { type: 'response.in_progress', response });
  }

  private openItem(
    events: ResponsesStreamEvent[],
    open:
      | Omit<Extract<OpenItem, { kind: 'message' }>, 'index'>
      | Omit<Extract<OpenItem, { kind: 'function_call' }>, 'index'>,
  ): void {
    const index = this.output.length;
    this.output.push(open.item);
    this.open = { ...open, index };
    this.emit(events, {
      type: 'response.output_item.added',
      output_index: index,
      item: structuredClone(open.item),
    });
  }

  private close(events: ResponsesStreamEvent[]): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    if (open.kind === 'message') {
      const part = open.item.content[0]!;
      const common = { item_id: open.item.id, output_index: open.index, content_index: 0 };
      this.emit(events, {
        type: 'response.output_text.done',
        ...common,
        text: part.text,
        logprobs: [],
      });
      this.emit(events, { type: 'response.content_part.done', ...common, part: { ...part } });
    } else {
      this.emit(events, {
        type: 'response.function_call_arguments.done',
        item_id: open.item.id,
        output_index: open.index,
        name: open.item.name,
        arguments: open.item.arguments,
      });
    }
    open.item.status = 'completed';
    this.emit(events, {
      type: 'response.output_item.done',
      output_index: open.index,
      item: structuredClone(open.item),
    });
  }

  private snapshot(
    status: ResponsesResponse['status'],
    extra: Partial<ResponsesResponse> = {},
  ): ResponsesResponse {
    return {
      id: this.ids.responseId,
      object: 'response',
      created_at: this.ids.createdAt,
      status,
      error: null,
      incomplete_details: null,
      ...this.settings,
      output: status === 'in_progress' ? [] : structuredClone(this.output),
      usage: status === 'in_progress' ? null : responsesUsageOf(this.usage),
      ...extra,
    };
  }

  private emit(events: ResponsesStreamEvent[], body: EventBody): void {
    events.push({ ...body, sequence_number: this.sequence++ });
  }
}

/** One event as an SSE frame, with the `event:` line clients dispatch on. */
export function responsesSseFrame(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
