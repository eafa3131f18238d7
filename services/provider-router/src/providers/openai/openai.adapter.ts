import { type EgressGuard } from '@aigw/core';
import { type ChatCompletionRequest, type EmbeddingRequest } from '@aigw/llm-api';
import {
  type ProviderAdapter,
  type ProviderCallOptions,
  type ProviderCompletion,
  type ProviderEmbeddings,
  type ProviderStreamChunk,
} from '../provider-adapter';
import { usageFromOpenAiEmbeddings } from '../embedding-usage';
import { ProviderError } from '../provider-error';
import { ProviderHttpClient } from '../provider-http-client';
import { readSseData } from '../sse-reader';
import { emptyUsage, usageFromOpenAi } from '../usage-mapping';

export interface OpenAiAdapterOptions {
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Default first-byte timeout, and the longest pause between two chunks of a body. */
  readonly timeoutMs: number;
  /** TCP + TLS connect timeout for the pool (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Internal addresses this provider may be reached at (SSRF guard); unset: no check. */
  readonly egress?: EgressGuard;
  /** Sent instead of `Authorization: Bearer <apiKey>` (Azure's `api-key`). */
  readonly authHeaders?: Readonly<Record<string, string>>;
  /** Appended to every request path, e.g. `?api-version=2024-10-21` (Azure). */
  readonly query?: string;
}

/**
 * OpenAI chat completions, and any OpenAI-compatible server (vLLM, Ollama, Groq, …) by base URL.
 * One keep-alive connection pool per provider, created once.
 */
export class OpenAiAdapter implements ProviderAdapter {
  private readonly http: ProviderHttpClient;
  private readonly path: string;
  private readonly embeddingsPath: string;

  constructor(options: OpenAiAdapterOptions) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (options.authHeaders) Object.assign(headers, options.authHeaders);
    else if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
    this.http = new ProviderHttpClient({ ...options, headers });
    const query = options.query ?? '';
    this.path = `${this.http.basePath}/chat/completions${query}`;
    this.embeddingsPath = `${this.http.basePath}/embeddings${query}`;
  }

  async complete(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): Promise<ProviderCompletion> {
    const body = await this.http.post(this.path, { ...request, stream: false }, signal, options);
    let parsed: { usage?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as { usage?: unknown };
    } catch {
      throw new ProviderError('malformed_response', 'provider answered with invalid JSON', 200);
    }
    return { body, usage: usageFromOpenAi(parsed.usage) ?? emptyUsage };
  }

  /** POST {base}/embeddings; `encoding_format` passes through, so base64 vectors stay base64. */
  async embed(
    request: EmbeddingRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): Promise<ProviderEmbeddings> {
    const body = await this.http.post(this.embeddingsPath, request, signal, options);
    let parsed: { usage?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as { usage?: unknown };
    } catch {
      throw new ProviderError('malformed_response', 'provider answered with invalid JSON', 200);
    }
    return { body, usage: usageFromOpenAiEmbeddings(parsed.usage) ?? emptyUsage };
  }

  async *stream(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): AsyncGenerator<ProviderStreamChunk> {
    const clientWantsUsage = request.stream_options?.include_usage === true;
    const response = await this.http.open(
      this.path,
      {
        ...request,
        stream: true,
        stream_options: { ...request.stream_options, include_usage: true },
      },
      signal,
      options,
    );
    try {
      for await (const data of readSseData(response)) {
        if (data === '[DONE]') return;
        const chunk = Buffer.from(data, 'utf8');
        if (!data.includes('"usage"')) {
          yield { data: chunk, forClient: true };
          continue;
        }
        let parsed: { usage?: unknown; choices?: unknown[] };
        try {
          parsed = JSON.parse(data) as { usage?: unknown; choices?: unknown[] };
        } catch {
          throw new ProviderError(
            'malformed_response',
            'provider sent an invalid stream chunk',
            200,
          );
        }
        const usage = usageFromOpenAi(parsed.usage);
        const usageOnly = (parsed.choices?.length ?? 0) === 0;
        yield { data: chunk, usage, forClient: clientWantsUsage || !usageOnly };
      }
    } catch (error) {
      throw this.http.classify(error);
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
