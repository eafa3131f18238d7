import { type OpenAiFinishReason } from '../anthropic/stop-reason-mapping';

/**
 * Gemini `finishReason` → OpenAI `finish_reason`. A normal stop after function calls is
 * `tool_calls`, as OpenAI reports it; the safety family is `content_filter`.
 */
export function finishReasonOfGemini(
  finishReason: string | null | undefined,
  calledTools: boolean,
): OpenAiFinishReason {
  switch (finishReason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      return calledTools ? 'tool_calls' : 'stop';
  }
}
