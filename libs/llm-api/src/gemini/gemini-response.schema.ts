import { z } from 'zod';

// Gemini `GenerateContentResponse`, as far as the gateway reads it: the body of
// `generateContent` and each SSE event of `streamGenerateContent?alt=sse`. Unknown fields and
// part kinds are kept so a newer API version is not rejected.

const part = z.looseObject({
  text: z.string().optional(),
  /** True on a thought summary part; never shown as answer text. */
  thought: z.boolean().optional(),
  functionCall: z
    .looseObject({
      name: z.string(),
      args: z.record(z.string(), z.unknown()).nullish(),
      id: z.string().optional(),
    })
    .optional(),
});

const candidate = z.looseObject({
  content: z.looseObject({ role: z.string().optional(), parts: z.array(part).nullish() }).nullish(),
  finishReason: z.string().nullish(),
  index: z.number().int().optional(),
});

/** `usageMetadata`; every count is optional (absent means 0). */
export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().int().nonnegative().optional(),
  candidatesTokenCount: z.number().int().nonnegative().optional(),
  totalTokenCount: z.number().int().nonnegative().optional(),
  cachedContentTokenCount: z.number().int().nonnegative().optional(),
  thoughtsTokenCount: z.number().int().nonnegative().optional(),
  toolUsePromptTokenCount: z.number().int().nonnegative().optional(),
});

export const geminiResponseSchema = z.looseObject({
  candidates: z.array(candidate).nullish(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).nullish(),
  usageMetadata: geminiUsageSchema.nullish(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});

/** Google's error body: `{"error":{"code","message","status"}}`. */
export const geminiErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().int().optional(),
    message: z.string(),
    status: z.string().optional(),
  }),
});

export type GeminiResponse = z.infer<typeof geminiResponseSchema>;
export type GeminiResponsePart = z.infer<typeof part>;
export type GeminiUsage = z.infer<typeof geminiUsageSchema>;
export type GeminiError = z.infer<typeof geminiErrorSchema>['error'];
