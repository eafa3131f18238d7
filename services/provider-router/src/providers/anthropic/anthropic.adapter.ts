import { Pool, errors as undiciErrors } from 'undici';
import {
  AnthropicToOpenAiStream,
  anthropicMessageSchema,
  anthropicStreamEventSchema,
  anthropicToOpenAiCompletion,
  type ChatCompletionRequest,
  openAiToAnthropicRequest,
} from '@aigw/llm-api';
import {
  type ProviderAdapter,
  type ProviderCallOptions,
  type ProviderCompletion,
  type ProviderStreamChunk,
} from '../provider-adapter';
import { ProviderError, errorClassOfStatus } from '../provider-error';
import { parseRetryAfter } from '../retry-after';
import { readSseData } from '../sse-reader';
import { emptyUsage, usageFromOpenAi } from '../usage-mapping';
import { openAiErrorOfAnthropic, providerErrorOfStreamEvent } from './anthropic-upstream-error';

export interface AnthropicAdapterOptions {
  /** e.g. `https://api.anthropic.com`; requests go to `{baseUrl}/v1/messages`. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** The `anthropic-version` header. */
  readonly version: string;
  /** Default first-byte timeout, and the longest pause between two chunks of a body. */
  readonly timeoutMs: number;
  /** TCP + TLS connect timeout for the pool (default 10 s). */
  readonly connectTimeoutMs?: number;
}

/**
 * Anthropic Messages API. The router speaks OpenAI chat format, so requests, answers, stream
 * events and error bodies are translated both ways (see the translations in @aigw/llm-api).
 */
export class AnthropicAdapter implements ProviderAdapter {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: AnthropicAdapterOptions) {
    const url = new URL(options.baseUrl);
    this.pool = new Pool(url.origin, {
      connections: 256,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    });
    const prefix = url.pathname.replace(/\/$/, '');
    // Accept a base URL given with or without the `/v1` suffix.
    this.path = prefix.endsWith('/v1') ? `${prefix}/messages` : `${prefix}/v1/messages`;
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'anthropic-version': options.version,
    };
    if (options.apiKey) this.headers['x-api-key'] = options.apiKey;
  }

  async complete(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): Promise<ProviderCompletion> {
    const payload = { ...openAiToAnthropicRequest(request), stream: false };
    const body = await this.open(payload, signal, options);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk);
    } catch (error) {
      throw this.classify(error);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new ProviderError('malformed_response', 'provider answered with invalid JSON', 200);
    }
    const message = anthropicMessageSchema.safeParse(json);
    if (!message.success) {
      throw new ProviderError('malformed_response', 'provider answered with no message', 200);
    }
    const completion = anthropicToOpenAiCompletion(message.data);
    return {
      body: Buffer.from(JSON.stringify(completion)),
      usage: usageFromOpenAi(completion.usage) ?? emptyUsage,
    };
  }

  async *stream(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): AsyncGenerator<ProviderStreamChunk> {
    const clientWantsUsage = request.stream_options?.include_usage === true;
    const payload = { ...openAiToAnthropicRequest(request), stream: true };
    const body = await this.open(payload, signal, options);
    const translator = new AnthropicToOpenAiStream();
    let stopped = false;
    try {
      for await (const data of readSseData(body)) {
        const event = anthropicStreamEventSchema.safeParse(parseJson(data));
        if (!event.success) {
          throw new ProviderError('malformed_response', 'provider sent an invalid event', 200);
        }
        if (event.data.type === 'error') throw providerErrorOfStreamEvent(event.data.error);
        for (const chunk of translator.push(event.data)) {
          const bytes = Buffer.from(JSON.stringify(chunk));
          if (chunk.usage) {
            const usage = usageFromOpenAi(chunk.usage);
            yield { data: bytes, usage, forClient: clientWantsUsage };
          } else {
            yield { data: bytes, forClient: true };
          }
        }
        if (event.data.type === 'message_stop') {
          stopped = true;
          return;
        }
      }
    } catch (error) {
      throw this.classify(error);
    }
    if (!stopped) throw new ProviderError('connection', 'provider stream ended early');
  }

  /** Sends the request; resolves with the body stream of a 2xx, throws ProviderError otherwise. */
  private async open(
    payload: unknown,
    signal: AbortSignal,
    options: ProviderCallOptions,
  ): Promise<AsyncIterable<Buffer>> {
    let response;
    try {
      response = await this.pool.request({
        path: this.path,
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
      errorClass === 'client_4xx' ? (openAiErrorOfAnthropic(errorBody) ?? errorBody) : undefined,
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

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
