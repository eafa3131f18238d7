import { type EmbeddingRequest } from '../openai/embedding-request.schema';
import { type GeminiBatchEmbedResponse } from './gemini-embed.schema';

/** An OpenAI embeddings response; `embedding` is a base64 string when base64 was asked. */
export interface OpenAiEmbeddingsResponse {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/**
 * Translates a Gemini `batchEmbedContents` answer into an OpenAI embeddings response for the
 * request it answers. With `encoding_format: "base64"` each vector is the base64 of its
 * little-endian float32 bytes, as the OpenAI API sends it.
 */
export function geminiToOpenAiEmbeddings(
  response: GeminiBatchEmbedResponse,
  request: EmbeddingRequest,
): OpenAiEmbeddingsResponse {
  const base64 = request.encoding_format === 'base64';
  const data = response.embeddings.map(({ values }, index) => ({
    object: 'embedding' as const,
    index,
    embedding: base64 ? float32Base64(values) : values,
  }));
  // batchEmbedContents reports no token counts: estimate about four characters per token.
  const promptTokens = estimateEmbeddingTokens(request.input);
  return {
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

function float32Base64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

/** `ceil(characters / 4)` per text input, summed; token ids count one each. */
function estimateEmbeddingTokens(input: EmbeddingRequest['input']): number {
  const items: Array<string | number | number[]> = typeof input === 'string' ? [input] : input;
  let tokens = 0;
  for (const item of items) {
    if (typeof item === 'string') tokens += Math.ceil(item.length / 4);
    else tokens += typeof item === 'number' ? 1 : item.length;
  }
  return tokens;
}
