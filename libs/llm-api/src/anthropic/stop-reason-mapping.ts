import { type AnthropicStopReason } from './anthropic-message.schema';

/** OpenAI's `finish_reason` values. */
export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Anthropic `stop_reason` → OpenAI `finish_reason`; an unknown reason reads as a normal stop. */
export function finishReasonOfStopReason(
  stopReason: string | null | undefined,
): OpenAiFinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** OpenAI `finish_reason` → Anthropic `stop_reason`. */
export function stopReasonOfFinishReason(
  finishReason: string | null | undefined,
): AnthropicStopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
