import { z } from 'zod';

// Only the fields the mock reads are checked; everything else passes through untouched.

const part = z.looseObject({ text: z.string().optional() });

/** The part of a generateContent request body the mock understands. */
export const generateContentRequestSchema = z.looseObject({
  contents: z
    .array(z.looseObject({ role: z.enum(['user', 'model']).optional(), parts: z.array(part) }))
    .min(1),
  systemInstruction: z.looseObject({ parts: z.array(part) }).optional(),
  tools: z
    .array(
      z.looseObject({
        functionDeclarations: z.array(z.looseObject({ name: z.string() })).optional(),
      }),
    )
    .optional(),
  generationConfig: z
    .looseObject({
      maxOutputTokens: z.number().int().positive().optional(),
      stopSequences: z.array(z.string()).optional(),
    })
    .optional(),
});

export type MockGenerateContentRequest = z.infer<typeof generateContentRequestSchema>;

/** The first problem of a body, phrased like Google's 400 `INVALID_ARGUMENT`. */
export function requestProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  return `Invalid JSON payload received. ${path}: ${issue?.message ?? 'invalid'}`;
}

/** The part of a batchEmbedContents request body the mock understands. */
export const batchEmbedContentsRequestSchema = z.looseObject({
  requests: z
    .array(
      z.looseObject({
        model: z.string(),
        content: z.looseObject({ parts: z.array(part).min(1) }),
        outputDimensionality: z.number().int().positive().optional(),
      }),
    )
    .min(1),
});

export type MockBatchEmbedContentsRequest = z.infer<typeof batchEmbedContentsRequestSchema>;
