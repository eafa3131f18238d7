import { z } from 'zod';

// Gemini `batchEmbedContents` (POST /v1beta/models/{model}:batchEmbedContents). The gateway
// writes the request, so it is a plain type; it reads the response, so that is a schema.

/** One text to embed; `model` must repeat the URL's model as `models/<id>`. */
export interface GeminiEmbedContentRequest {
  model: string;
  content: { parts: Array<{ text: string }> };
  outputDimensionality?: number;
}

export interface GeminiBatchEmbedContentsRequest {
  requests: GeminiEmbedContentRequest[];
}

/** The `batchEmbedContents` answer: one embedding per request, in order; no token counts. */
export const geminiBatchEmbedResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});

export type GeminiBatchEmbedResponse = z.infer<typeof geminiBatchEmbedResponseSchema>;
