import { type GovernedBody } from './governed-body';

/** What a request asks of rate limits and budgets, estimated without a tokenizer. */
export interface LimitDemand {
  readonly estimatedPromptTokens: number;
  /** The caller's max_tokens (or max_completion_tokens); undefined lets the endpoint cap apply. */
  readonly maxOutputTokens: number | undefined;
}

const charactersPerToken = 4;
/** Role and framing tokens each chat message costs beyond its text (OpenAI counts 3-4). */
const tokensPerMessage = 4;

/**
 * A cheap prompt estimate: the characters of every text the request carries (message text,
 * tool-call arguments, embeddings input) divided by four, plus a few tokens per message. It is
 * what TPM and budget reservations start from; the settle after the call uses the provider's
 * actual counts.
 */
export function limitDemandOf(body: GovernedBody): LimitDemand {
  let characters = 0;
  for (const part of body.textParts()) characters += part.text.length;
  const request = body.request as {
    messages?: unknown;
    max_tokens?: number | null;
    max_completion_tokens?: number | null;
  };
  const messages = Array.isArray(request.messages) ? request.messages.length : 0;
  return {
    estimatedPromptTokens: Math.ceil(characters / charactersPerToken) + messages * tokensPerMessage,
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
  };
}
