import { Pool, errors as undiciErrors } from 'undici';
import { type ChatCompletionRequest, type EmbeddingRequest } from '@aigw/llm-api';
import {
  type ProviderAdapter,
  type ProviderCallOptions,
  type ProviderCompletion,
  type ProviderEmbeddings,
  type ProviderStreamChunk,
} from '../provider-adapter';
import { usageFromOpenAiEmbeddings } from '../embedding-usage';
import { ProviderError, errorClassOfStatus } from '../provider-error';
import { parseRetryAfter } from '../retry-after';
import { readSseData } from '../sse-reader';
import { emptyUsage, usageFromOpenAi } from '../usage-mapping';

export interface OpenAiAdapterOptions {
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Default first-byte timeout, and the longest pause between two chunks of a body. */
  readonly timeoutMs: number;
  /** TCP + TLS connect timeout for the pool (default 10 s). */
  readonly connectTimeoutMs?: number;
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
  private readonly pool: Pool;
  private readonly path: string;
  private readonly embeddingsPath: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: OpenAiAdapterOptions) {
    const url = new URL(options.baseUrl);
    this.pool = new Pool(url.origin, {
      connections: 256,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    });
    const query = options.query ?? '';
    this.path = `${url.pathname.replace(/\/$/, '')}/chat/completions${query}`;
    this.embeddingsPath = `${url.pathname.replace(/\/$/, '')}/embeddings${query}`;
    this.headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.authHeaders) Object.assign(this.headers, options.authHeaders);
    else if (options.apiKey) this.headers['authorization'] = `Bearer ${options.apiKey}`;
  }

  async complete(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): Promise<ProviderCompletion> {
    const body = await this.send({ ...request, stream: false }, signal, options);
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
    const body = await this.send(request, signal, options, this.embeddingsPath);
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
    const response = await this.open(
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
      throw this.classify(error);
    }
  }

  private async send(
    payload: unknown,
    signal: AbortSignal,
    options: ProviderCallOptions,
    path = this.path,
  ): Promise<Buffer> {
    const body = await this.open(payload, signal, options, path);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk);
    } catch (error) {
      throw this.classify(error);
    }
    return Buffer.concat(chunks);
  }

  /** Sends the request; resolves with the body stream of a 2xx, throws ProviderError otherwise. */
  private async open(
    payload: unknown,
    signal: AbortSignal,
    options: ProviderCallOptions,
    path = this.path,
  ): Promise<AsyncIterable<Buffer>> {
    let response;
    try {
      response = await this.pool.request({
        path,
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(payload),
        signal,
        headersTimeout: options.firstByteTimeoutMs ?? this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
    } catch (error) {
      throw this.classify(error);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return response.body as AsyncIterable<Buffer>;
    }
    const errorBody = Buffer.from(
      await response.body.arrayBuffer().catch(() => new ArrayBuffer(0)),
    );
    const errorClass = errorClassOfStatus(response.statusCode);
    throw new ProviderError(
      errorClass,
      `provider answered HTTP ${response.statusCode}`,
      response.statusCode,
      errorClass === 'client_4xx' ? errorBody : undefined,
      parseRetryAfter(response.headers),
    );
  }

  private classify(error: unknown): ProviderError {
    if (error instanceof ProviderError) return error;
    if (
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    ) {
      return new ProviderError('timeout', 'provider did not answer in time');
    }
    return new ProviderError('connection', 'could not reach the provider');
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
