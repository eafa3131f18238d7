import { type EgressGuard } from '@aigw/core';
import {
  type ChatCompletionRequest,
  type EmbeddingRequest,
  GeminiToOpenAiStream,
  geminiBatchEmbedResponseSchema,
  geminiResponseSchema,
  geminiToOpenAiCompletion,
  geminiToOpenAiEmbeddings,
  openAiToGeminiEmbedRequest,
  openAiToGeminiRequest,
} from '@aigw/llm-api';
import { usageFromOpenAiEmbeddings } from '../embedding-usage';
import {
  type ProviderAdapter,
  type ProviderCallOptions,
  type ProviderCompletion,
  type ProviderEmbeddings,
  type ProviderStreamChunk,
} from '../provider-adapter';
import { ProviderError } from '../provider-error';
import { ProviderHttpClient } from '../provider-http-client';
import { readSseData } from '../sse-reader';
import { emptyUsage, usageFromOpenAi } from '../usage-mapping';
import {
  openAiErrorOfGeminiBody,
  parseJson,
  providerErrorOfGeminiEvent,
  retryDelayOfGeminiBody,
} from './gemini-upstream-error';

export interface GeminiAdapterOptions {
  /** e.g. `https://generativelanguage.googleapis.com`. */
  readonly baseUrl: string;
  /** Sent as `x-goog-api-key`. */
  readonly apiKey?: string;
  /** The version path segment, e.g. `v1beta`. */
  readonly apiVersion: string;
  /** Default first-byte timeout, and the longest pause between two chunks of a body. */
  readonly timeoutMs: number;
  /** TCP + TLS connect timeout for the pool (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Internal addresses this provider may be reached at (SSRF guard); unset: no check. */
  readonly egress?: EgressGuard;
}

type Method = 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents';

/**
 * Google Gemini API: `POST {base}/{version}/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse` for streams and `:batchEmbedContents` for embeddings. The router speaks OpenAI chat format, so
 * requests, answers, stream events and error bodies are translated (see @aigw/llm-api).
 */
export class GeminiAdapter implements ProviderAdapter {
  private readonly http: ProviderHttpClient;
  private readonly prefix: string;

  constructor(options: GeminiAdapterOptions) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (options.apiKey) headers['x-goog-api-key'] = options.apiKey;
    this.http = new ProviderHttpClient(
      { ...options, headers },
      { clientErrorBody: openAiErrorOfGeminiBody, retryAfterFromBody: retryDelayOfGeminiBody },
    );
    this.prefix = `${this.http.basePath}/${options.apiVersion}/models/`;
  }

  async complete(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): Promise<ProviderCompletion> {
    const body = await this.http.open(
      this.pathOf('generateContent', request.model),
      openAiToGeminiRequest(request),
      signal,
      options,
    );
    const json = await this.readJson(body);
    if (json === undefined) {
      throw new ProviderError('malformed_response', 'provider answered with invalid JSON', 200);
    }
    const response = geminiResponseSchema.safeParse(json);
    if (!response.success) {
      throw new ProviderError('malformed_response', 'provider answered with no response', 200);
    }
    const completion = geminiToOpenAiCompletion(response.data, { model: request.model });
    return {
      body: Buffer.from(JSON.stringify(completion)),
      usage: usageFromOpenAi(completion.usage) ?? emptyUsage,
    };
  }

  /** Embeddings by `batchEmbedContents`; token-id inputs are refused before any call. */
  async embed(
    request: EmbeddingRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): Promise<ProviderEmbeddings> {
    const translated = openAiToGeminiEmbedRequest(request);
    if (!translated.ok) {
      const body = Buffer.from(JSON.stringify(translated.error));
      throw new ProviderError('client_4xx', translated.error.error.message, 400, body);
    }
    const body = await this.http.open(
      this.pathOf('batchEmbedContents', request.model),
      translated.request,
      signal,
      options,
    );
    const json = await this.readJson(body);
    if (json === undefined) {
      throw new ProviderError('malformed_response', 'provider answered with invalid JSON', 200);
    }
    const response = geminiBatchEmbedResponseSchema.safeParse(json);
    if (!response.success) {
      throw new ProviderError('malformed_response', 'provider answered with no embeddings', 200);
    }
    const embeddings = geminiToOpenAiEmbeddings(response.data, request);
    return {
      body: Buffer.from(JSON.stringify(embeddings)),
      usage: usageFromOpenAiEmbeddings(embeddings.usage) ?? emptyUsage,
    };
  }

  async *stream(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): AsyncGenerator<ProviderStreamChunk> {
    const clientWantsUsage = request.stream_options?.include_usage === true;
    const body = await this.http.open(
      this.pathOf('streamGenerateContent', request.model),
      openAiToGeminiRequest(request),
      signal,
      options,
    );
    const translator = new GeminiToOpenAiStream({ model: request.model });
    try {
      for await (const data of readSseData(body)) {
        const json = parseJson(data);
        const failure = providerErrorOfGeminiEvent(json);
        if (failure) throw failure;
        const event = geminiResponseSchema.safeParse(json);
        if (json === undefined || !event.success) {
          throw new ProviderError('malformed_response', 'provider sent an invalid event', 200);
        }
        for (const chunk of translator.push(event.data)) {
          yield { data: Buffer.from(JSON.stringify(chunk)), forClient: true };
        }
      }
    } catch (error) {
      throw this.http.classify(error);
    }
    // Gemini has no end event: a stream is complete once a finish reason came.
    if (!translator.finished) throw new ProviderError('connection', 'provider stream ended early');
    const last = translator.finish();
    yield {
      data: Buffer.from(JSON.stringify(last)),
      usage: usageFromOpenAi(last.usage),
      forClient: clientWantsUsage,
    };
  }

  /** The whole body as JSON; undefined when it is not JSON. */
  private async readJson(body: AsyncIterable<Buffer>): Promise<unknown> {
    return parseJson((await this.http.readAll(body)).toString('utf8'));
  }

  private pathOf(method: Method, model: string): string {
    // Accept the model as `gemini-2.5-flash` or as the resource name `models/gemini-2.5-flash`.
    const id = encodeURIComponent(model.replace(/^models\//, ''));
    const query = method === 'streamGenerateContent' ? '?alt=sse' : '';
    return `${this.prefix}${id}:${method}${query}`;
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
