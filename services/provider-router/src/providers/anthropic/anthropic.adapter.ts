import { type EgressGuard } from '@aigw/core';
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
import { ProviderError } from '../provider-error';
import { ProviderHttpClient } from '../provider-http-client';
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
  /** Internal addresses this provider may be reached at (SSRF guard); unset: no check. */
  readonly egress?: EgressGuard;
}

/**
 * Anthropic Messages API. The router speaks OpenAI chat format, so requests, answers, stream
 * events and error bodies are translated both ways (see the translations in @aigw/llm-api).
 */
export class AnthropicAdapter implements ProviderAdapter {
  private readonly http: ProviderHttpClient;
  private readonly path: string;

  constructor(options: AnthropicAdapterOptions) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'anthropic-version': options.version,
    };
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    this.http = new ProviderHttpClient(
      { ...options, headers },
      { clientErrorBody: openAiErrorOfAnthropic },
    );
    const prefix = this.http.basePath;
    // Accept a base URL given with or without the `/v1` suffix.
    this.path = prefix.endsWith('/v1') ? `${prefix}/messages` : `${prefix}/v1/messages`;
  }

  async complete(
    request: ChatCompletionRequest,
    signal: AbortSignal,
    options: ProviderCallOptions = {},
  ): Promise<ProviderCompletion> {
    const payload = { ...openAiToAnthropicRequest(request), stream: false };
    const body = await this.http.post(this.path, payload, signal, options);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
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
    const body = await this.http.open(this.path, payload, signal, options);
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
      throw this.http.classify(error);
    }
    if (!stopped) throw new ProviderError('connection', 'provider stream ended early');
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
