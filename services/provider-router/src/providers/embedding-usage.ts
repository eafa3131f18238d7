import { type Usage } from '@aigw/contracts';
import { embeddingUsageSchema } from '@aigw/llm-api';

/** Usage from an OpenAI embeddings `usage` object (prompt tokens only); undefined when unreadable. */
export function usageFromOpenAiEmbeddings(value: unknown): Usage | undefined {
  const parsed = embeddingUsageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  return {
    promptTokens: parsed.data.prompt_tokens,
    completionTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
  };
}
