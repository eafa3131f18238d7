import { type MessageAnswer, type MockUsage } from './anthropic-answer';

/** One SSE event of a stream: its name and its JSON data (whose `type` is the same name). */
export interface MockSseEvent {
  readonly event: string;
  readonly data: string;
}

const jsonPieceLength = 8;

function contentOf(answer: MessageAnswer): Array<Record<string, unknown>> {
  return answer.kind === 'text'
    ? [{ type: 'text', text: answer.text }]
    : [{ type: 'tool_use', id: answer.id, name: answer.name, input: answer.input }];
}

function stopOf(answer: MessageAnswer): { stop_reason: string; stop_sequence: string | null } {
  return answer.kind === 'text'
    ? { stop_reason: answer.stopReason, stop_sequence: answer.stopSequence }
    : { stop_reason: 'tool_use', stop_sequence: null };
}

/** The non-streaming message object, as documented for API version 2023-06-01. */
export function buildMessage(id: string, model: string, answer: MessageAnswer, usage: MockUsage) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: contentOf(answer),
    ...stopOf(answer),
    usage,
  };
}

/**
 * The documented event flow of a streamed message: `message_start` (empty content, input
 * usage), a `ping`, one content block (start, deltas, stop), `message_delta` (stop reason,
 * output tokens) and `message_stop`.
 */
export function buildStreamEvents(
  id: string,
  model: string,
  answer: MessageAnswer,
  usage: MockUsage,
): MockSseEvent[] {
  const events: object[] = [
    {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
  ];
  if (answer.kind === 'text') {
    events.push({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    events.push({ type: 'ping' });
    for (const text of splitIntoWords(answer.text)) {
      events.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
    }
  } else {
    events.push({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: answer.id, name: answer.name, input: {} },
    });
    events.push({ type: 'ping' });
    for (const partial of splitIntoPieces(JSON.stringify(answer.input), jsonPieceLength)) {
      events.push({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: partial },
      });
    }
  }
  events.push({ type: 'content_block_stop', index: 0 });
  events.push({
    type: 'message_delta',
    delta: stopOf(answer),
    usage: { output_tokens: usage.output_tokens },
  });
  events.push({ type: 'message_stop' });
  return events.map((event) => ({
    event: (event as { type: string }).type,
    data: JSON.stringify(event),
  }));
}

function splitIntoWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function splitIntoPieces(text: string, length: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += length)
    pieces.push(text.slice(start, start + length));
  return pieces;
}
