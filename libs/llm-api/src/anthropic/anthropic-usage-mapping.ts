import { type ChatUsage } from '../openai/chat-usage';
import { type AnthropicUsage } from './anthropic-message.schema';

/**
 * Anthropic usage → OpenAI usage. Anthropic counts cache reads and cache writes apart from
 * `input_tokens`; OpenAI's `prompt_tokens` includes every prompt token, with cache reads also
 * reported as `prompt_tokens_details.cached_tokens`.
 */
export function openAiUsageOfAnthropic(
  usage: AnthropicUsage,
): ChatUsage & { total_tokens: number } {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const promptTokens =
    (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completionTokens = usage.output_tokens ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/** Anthropic's usage object: every field present, as the Messages API sends it. */
// A type alias (not an interface) so it is assignable to the loose usage schema's type.
export type AnthropicUsageOut = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
};

/** OpenAI usage → Anthropic usage: cached prompt tokens become cache reads. */
export function anthropicUsageOfOpenAi(usage: ChatUsage | null | undefined): AnthropicUsageOut {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
