import { type ChatCompletionRequest, type EmbeddingRequest } from '@aigw/llm-api';
import { type Usage } from '@aigw/contracts';

/** A successful non-streaming answer in OpenAI chat completion format. */
export interface ProviderCompletion {
  readonly body: Buffer;
  readonly usage: Usage;
}

/** One item of a streamed answer: an OpenAI `chat.completion.chunk` (JSON bytes). */
export interface ProviderStreamChunk {
  readonly data: Buffer;
  /** Usage when this chunk carried it (the last one, with include_usage). */
  readonly usage?: Usage;
  /** False for the usage-only chunk the gateway asked for itself; the client gets it only if it asked. */
  readonly forClient: boolean;
}

/** Per-try limits the router sets from the target's settings; adapters honour what they can. */
export interface ProviderCallOptions {
  /** Until the response headers arrive; the adapter's own default when absent. */
  readonly firstByteTimeoutMs?: number;
}

/**
 * What every provider folder implements. The request is OpenAI chat format with `model` already
 * set to the target's model; adapters translate to their API. Failures throw ProviderError.
 */
export interface ProviderAdapter {
  complete(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options?: ProviderCallOptions,
  ): Promise<ProviderCompletion>;
  /** Must throw before yielding anything when the provider refused the request. */
  stream(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options?: ProviderCallOptions,
  ): AsyncIterable<ProviderStreamChunk>;
  /**
   * OpenAI embeddings (`model` already the target's); absent when the provider has none. The
   * body is the OpenAI embeddings response, vectors in the `encoding_format` the request asked.
   */
  embed?(
    request: EmbeddingRequest,
    signal: AbortSignal,
    options?: ProviderCallOptions,
  ): Promise<ProviderEmbeddings>;
}

/** A successful embeddings answer in OpenAI format; usage counts prompt tokens only. */
export interface ProviderEmbeddings {
  readonly body: Buffer;
  readonly usage: Usage;
}
