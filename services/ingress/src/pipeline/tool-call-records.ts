import { type ToolCallRecord, type ToolResultRecord } from '@aigw/contracts';
import { type ChatCompletionRequest } from '@aigw/llm-api';

/** What a request's conversation says about its agent loop, for the request's record. */
export interface ConversationFacts {
  /** The assistant turn an answer to this request is: assistant messages sent + 1. */
  readonly turn: number;
  readonly toolResults: ToolResultRecord[];
}

interface RequestToolCall {
  readonly id?: unknown;
  readonly function?: { readonly name?: unknown };
}

/** Counts the assistant turns and names the tool results of a chat request's messages. */
export function conversationFacts(request: ChatCompletionRequest): ConversationFacts {
  const calls = new Map<string, { name: string; turn: number }>();
  const toolResults: ToolResultRecord[] = [];
  let assistantTurns = 0;
  for (const message of request.messages) {
    if (message.role === 'assistant') {
      assistantTurns++;
      for (const call of (message.tool_calls ?? []) as RequestToolCall[]) {
        if (typeof call.id === 'string') {
          const name = typeof call.function?.name === 'string' ? call.function.name : '';
          calls.set(call.id, { name, turn: assistantTurns });
        }
      }
    } else if (message.role === 'tool') {
      const callId = typeof message['tool_call_id'] === 'string' ? message['tool_call_id'] : '';
      const call = calls.get(callId);
      toolResults.push({
        name: call?.name ?? '',
        callId,
        turn: call?.turn ?? 0,
        outputBytes: byteLength(message.content),
      });
    }
  }
  return { turn: assistantTurns + 1, toolResults };
}

/** The tool calls of a non-streamed `chat.completion` body (first choice). */
export function completionToolCalls(body: Buffer, turn: number): ToolCallRecord[] {
  // Most answers are text: skip the parse unless the body mentions tool calls.
  if (!body.includes('"tool_calls"')) return [];
  try {
    const completion = JSON.parse(body.toString('utf8')) as {
      choices?: { message?: { tool_calls?: RequestToolCallWithArguments[] | null } }[];
    };
    return (completion.choices?.[0]?.message?.tool_calls ?? []).map((call) => ({
      name: stringOr(call.function?.name),
      callId: stringOr(call.id),
      turn,
      argumentBytes: Buffer.byteLength(stringOr(call.function?.arguments)),
    }));
  } catch {
    return [];
  }
}

interface RequestToolCallWithArguments {
  readonly id?: unknown;
  readonly function?: { readonly name?: unknown; readonly arguments?: unknown };
}

interface ChunkToolCall {
  readonly index?: unknown;
  readonly id?: unknown;
  readonly function?: { readonly name?: unknown; readonly arguments?: unknown };
}

/** Collects the tool calls of a streamed answer from its `chat.completion.chunk` payloads. */
export class StreamedToolCalls {
  private readonly calls = new Map<number, { name: string; callId: string; bytes: number }>();

  observe(payload: string): void {
    if (!payload.includes('"tool_calls"')) return;
    let chunk: { choices?: { delta?: { tool_calls?: ChunkToolCall[] | null } }[] };
    try {
      chunk = JSON.parse(payload) as typeof chunk;
    } catch {
      return;
    }
    for (const call of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
      const index = typeof call.index === 'number' ? call.index : 0;
      const seen = this.calls.get(index) ?? { name: '', callId: '', bytes: 0 };
      if (typeof call.id === 'string' && call.id !== '') seen.callId = call.id;
      if (typeof call.function?.name === 'string') seen.name += call.function.name;
      if (typeof call.function?.arguments === 'string') {
        seen.bytes += Buffer.byteLength(call.function.arguments);
      }
      this.calls.set(index, seen);
    }
  }

  records(turn: number): ToolCallRecord[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({
        name: call.name,
        callId: call.callId,
        turn,
        argumentBytes: call.bytes,
      }));
  }
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function byteLength(content: unknown): number {
  if (typeof content === 'string') return Buffer.byteLength(content);
  if (Array.isArray(content)) {
    return content.reduce<number>(
      (sum, part: { text?: unknown }) =>
        sum + (typeof part.text === 'string' ? Buffer.byteLength(part.text) : 0),
      0,
    );
  }
  return 0;
}
