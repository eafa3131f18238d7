import { z } from 'zod';

/** The `usage` object of a chat completion or of the last stream chunk. */
export const chatUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative().default(0),
  completion_tokens: z.number().int().nonnegative().default(0),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: z.number().int().nonnegative().optional() })
    .nullish(),
  completion_tokens_details: z
    .looseObject({ reasoning_tokens: z.number().int().nonnegative().optional() })
    .nullish(),
});

export type ChatUsage = z.infer<typeof chatUsageSchema>;
