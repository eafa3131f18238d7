import { z } from 'zod';

const tokenIds = z.array(z.number().int().min(0)).min(1);

/**
 * The OpenAI embeddings request, as far as the gateway reads it: `input` is one text, a list of
 * texts, one list of token ids or a list of them. Every other field (`encoding_format`,
 * `dimensions`, `user`) passes through to the provider untouched.
 */
export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1).max(2048),
    tokenIds,
    z.array(tokenIds).min(1).max(2048),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
});

export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

/** An OpenAI embeddings answer's `usage`: embeddings only consume prompt tokens. */
export const embeddingUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0).optional(),
});
