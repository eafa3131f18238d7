import { type ChatTextPart } from './chat-text-parts';
import { type EmbeddingRequest } from './embedding-request.schema';

/**
 * The guardable texts of an embeddings request: `input` when it is one text, `input.N` for each
 * text of a list. Token ids carry no readable text and are not returned.
 */
export function embeddingTextParts(request: EmbeddingRequest): ChatTextPart[] {
  const { input } = request;
  if (typeof input === 'string') return [{ path: 'input', text: input }];
  return input.flatMap((item, index) =>
    typeof item === 'string' ? [{ path: `input.${index}`, text: item }] : [],
  );
}

/** Writes replacement texts back at their paths (as produced by embeddingTextParts). */
export function applyEmbeddingTextParts(
  request: EmbeddingRequest,
  replacements: readonly ChatTextPart[],
): void {
  for (const { path, text } of replacements) {
    if (path === 'input') {
      if (typeof request.input === 'string') request.input = text;
      continue;
    }
    const match = /^input\.(\d+)$/.exec(path);
    const index = Number(match?.[1]);
    if (match && Array.isArray(request.input) && typeof request.input[index] === 'string') {
      (request.input as string[])[index] = text;
    }
  }
}
