import { type Usage } from '@aigw/contracts';
import { chatUsageSchema } from '@aigw/llm-api';

/** Usage from an OpenAI `usage` object; undefined when absent or unreadable. */
export function usageFromOpenAi(value: unknown): Usage | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = chatUsageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  return {
    promptTokens: parsed.data.prompt_tokens,
    completionTokens: parsed.data.completion_tokens,
    cachedTokens: parsed.data.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: parsed.data.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export const emptyUsage: Usage = {
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  reasoningTokens: 0,
};
