import { mockEmbedding } from '../openai-mock/embedding-builder';
import { type MockBatchEmbedContentsRequest } from './gemini-request.schema';

/**
 * The `batchEmbedContents` answer: per request, the {@link mockEmbedding} of its joined text
 * parts at `outputDimensionality` (else `defaultDimensions`). Like Google's, it has no token counts.
 */
export function buildBatchEmbedResponse(
  request: MockBatchEmbedContentsRequest,
  defaultDimensions: number,
): { embeddings: Array<{ values: number[] }> } {
  return {
    embeddings: request.requests.map((item) => ({
      values: mockEmbedding(
        item.content.parts.map((part) => part.text ?? '').join(''),
        item.outputDimensionality ?? defaultDimensions,
      ),
    })),
  };
}
