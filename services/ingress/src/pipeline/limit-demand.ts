import { type GovernedBody } from './governed-body';

/** What a request asks of rate limits and budgets, estimated without a tokenizer. */
export interface LimitDemand {
  readonly estimatedPromptTokens: number;
  /** Prompt tokens the request cannot exceed: what dollar budgets reserve on (0: not computed). */
  readonly promptTokensUpperBound: number;
  /** The caller's max_tokens (or max_completion_tokens); undefined lets the endpoint cap apply. */
  readonly maxOutputTokens: number | undefined;
}

const charactersPerToken = 4;
/** Role and framing tokens each chat message costs beyond its text (OpenAI counts 3-4). */
const tokensPerMessage = 4;
/** The bound's framing per message: twice what providers document. */
const boundTokensPerMessage = 8;
/**
 * The bound's allowance per image or audio part (its bytes are not text): above what OpenAI
 * (at most 1,445 tokens for a gpt-4o image in high detail), Anthropic (about 1,600) and Gemini
 * (258 per image) bill. Models that bill an image as many more tokens at a lower price per
 * token (gpt-4o-mini) are not covered by it.
 */
const mediaTokenAllowance = 2_000;

/**
 * A cheap prompt estimate: the characters of every text the request carries (message text,
 * tool-call arguments, embeddings input) divided by four, plus a few tokens per message. It is
 * what TPM and budget reservations start from; the settle after the call uses the provider's
 * actual counts.
 */
export function limitDemandOf(
  body: GovernedBody,
  options: { readonly promptBound: boolean } = { promptBound: true },
): LimitDemand {
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
    // Only dollar budgets reserve on the bound (0: policy uses the estimate); walking the whole
    // body is skipped when the config has none.
    promptTokensUpperBound: options.promptBound
      ? Math.min(maxUint32, jsonTokenBound(body.request) + messages * boundTokensPerMessage)
      : 0,
    maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
  };
}

const maxUint32 = 0xffff_ffff;
const maxWalkDepth = 64;

function serializedBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return maxUint32;
  }
}

const mediaParts = new Set(['image_url', 'input_audio', 'image', 'input_image']);

/**
 * A bound on the tokens a request body can become: tokenizers (byte-level BPE, SentencePiece
 * with byte fallback) give at most one token per UTF-8 byte, so the body counts with the bytes
 * of its JSON, keys and punctuation included (providers render tool definitions and schemas
 * into the prompt in formats no longer than that, plus framing; the bytes of settings such as
 * the model name only make the bound looser), except media parts, which count at a fixed
 * allowance.
 */
function jsonTokenBound(value: unknown, depth = 0): number {
  // Hostile nesting (unknown fields pass through) must not exhaust the stack.
  if (depth > maxWalkDepth) return serializedBytes(value);
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8') + 2;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (Array.isArray(value)) {
    let total = 2;
    for (const item of value) total += jsonTokenBound(item, depth + 1) + 1;
    return total;
  }
  if (value === null || typeof value !== 'object') return 4;
  const record = value as Record<string, unknown>;
  if (typeof record['type'] === 'string' && mediaParts.has(record['type'])) {
    return mediaTokenAllowance;
  }
  let total = 2;
  for (const [key, inner] of Object.entries(record)) {
    total += Buffer.byteLength(key, 'utf8') + 4 + jsonTokenBound(inner, depth + 1);
  }
  return total;
}
