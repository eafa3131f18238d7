import { type ChatUsage } from '../openai/chat-usage';
import { type GeminiUsage } from './gemini-response.schema';

/**
 * Gemini `usageMetadata` → OpenAI usage. Gemini's `promptTokenCount` already includes cached
 * content; `candidatesTokenCount` leaves out thinking, which OpenAI counts in
 * `completion_tokens` and reports again as `reasoning_tokens`.
 */
export function openAiUsageOfGemini(
  usage: GeminiUsage | null | undefined,
): ChatUsage & { total_tokens: number } {
  const promptTokens = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const completionTokens = (usage?.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: usage?.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}
