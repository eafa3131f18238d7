import { type ChatCompletion } from '../openai/chat-completion.schema';
import { type ChatUsage } from '../openai/chat-usage';
import { type NamespacedTool } from './responses-to-chat-request';
import {
  type ResponsesOutputItem,
  type ResponsesResponse,
  type ResponsesSettings,
  type ResponsesUsage,
} from './responses-response.types';

/** Ids of one response and its output items, derived from one stem so they are traceable. */
export interface ResponsesIds {
  /** `resp_…` */
  readonly responseId: string;
  readonly createdAt: number;
}

/**
 * Translates an OpenAI `chat.completion` into a Responses API `response`: the assistant text
 * becomes a `message` output item with one `output_text` part, each tool call a
 * `function_call` item. A length stop is `status: "incomplete"` (`max_output_tokens`).
 */
export function chatToResponsesResponse(
  completion: ChatCompletion,
  settings: ResponsesSettings,
  ids: ResponsesIds,
  toolNames: ReadonlyMap<string, NamespacedTool> = new Map(),
): ResponsesResponse {
  const choice = completion.choices[0];
  const output: ResponsesOutputItem[] = [];
  const text = choice?.message.content ?? choice?.message.refusal ?? '';
  if (text !== '') {
    output.push({
      type: 'message',
      id: itemId(ids, 'msg', 0),
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
    });
  }
  (choice?.message.tool_calls ?? []).forEach((call, index) => {
    output.push({
      type: 'function_call',
      id: itemId(ids, 'fc', index + 1),
      call_id: call.id,
      ...functionName(call.function.name, toolNames),
      arguments: call.function.arguments,
      status: 'completed',
    });
  });
  const incomplete = incompleteReasonOf(choice?.finish_reason);
  return {
    id: ids.responseId,
    object: 'response',
    created_at: ids.createdAt,
    status: incomplete ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: incomplete ? { reason: incomplete } : null,
    ...settings,
    output,
    usage: responsesUsageOf(completion.usage),
  };
}

/** A chat function name as a Responses function call names it (with its namespace, if any). */
export function functionName(
  chatName: string,
  toolNames: ReadonlyMap<string, NamespacedTool>,
): { name: string; namespace?: string } {
  const namespaced = toolNames.get(chatName);
  return namespaced
    ? { name: namespaced.name, namespace: namespaced.namespace }
    : { name: chatName };
}

/** The id of an output item: its kind, then the response id's stem and its position. */
export function itemId(ids: ResponsesIds, kind: 'msg' | 'fc', index: number): string {
  return `${kind}_${ids.responseId.replace(/^resp_/, '')}${index.toString(16).padStart(2, '0')}`;
}

/** `length` → max_output_tokens, `content_filter` → content_filter; otherwise complete. */
export function incompleteReasonOf(finishReason: string | null | undefined): string | undefined {
  if (finishReason === 'length') return 'max_output_tokens';
  if (finishReason === 'content_filter') return 'content_filter';
  return undefined;
}

export function responsesUsageOf(usage: ChatUsage | null | undefined): ResponsesUsage | null {
  if (!usage) return null;
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: {
      reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
  };
}
