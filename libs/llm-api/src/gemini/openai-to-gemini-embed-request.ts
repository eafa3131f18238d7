import { type OpenAiErrorBody, openAiErrorBody } from '../openai/openai-error';
import { type EmbeddingRequest } from '../openai/embedding-request.schema';
import { type GeminiBatchEmbedContentsRequest } from './gemini-embed.schema';

/** The translated request, or why it cannot be sent (an OpenAI 400 error body). */
export type GeminiEmbedTranslation =
  | { readonly ok: true; readonly request: GeminiBatchEmbedContentsRequest }
  | { readonly ok: false; readonly error: OpenAiErrorBody };

/**
 * Translates an OpenAI embeddings request into a Gemini `batchEmbedContents` request: one
 * request per input text, `dimensions` as `outputDimensionality`. Gemini embeds text only, so
 * token-id inputs are refused as an invalid request.
 */
export function openAiToGeminiEmbedRequest(request: EmbeddingRequest): GeminiEmbedTranslation {
  const texts = textsOf(request.input);
  if (!texts) {
    return {
      ok: false,
      error: openAiErrorBody(
        'this provider embeds text only; token-id inputs are not supported',
        'invalid_request_error',
        'unsupported_input',
        'input',
      ),
    };
  }
  const model = `models/${request.model.replace(/^models\//, '')}`;
  const requests = texts.map((text) => ({
    model,
    content: { parts: [{ text }] },
    ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
  }));
  return { ok: true, request: { requests } };
}

/** The input texts in order; undefined when any input is token ids. */
function textsOf(input: EmbeddingRequest['input']): string[] | undefined {
  if (typeof input === 'string') return [input];
  const texts: string[] = [];
  for (const item of input) {
    if (typeof item !== 'string') return undefined;
    texts.push(item);
  }
  return texts;
}
