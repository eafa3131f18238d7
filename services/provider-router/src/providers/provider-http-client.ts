import { Pool, errors as undiciErrors } from 'undici';
import { EgressDeniedError, type EgressGuard } from '@aigw/core';
import { type ProviderCallOptions } from './provider-adapter';
import { ProviderError, errorClassOfStatus } from './provider-error';
import { parseRetryAfter } from './retry-after';

export interface ProviderHttpClientOptions {
  /** Origin and path prefix of the provider's API. */
  readonly baseUrl: string;
  /** Sent with every request (content type, auth, API version). */
  readonly headers: Readonly<Record<string, string>>;
  /** Default first-byte timeout, and the longest pause between two chunks of a body. */
  readonly timeoutMs: number;
  /** TCP + TLS connect timeout for the pool (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Which internal addresses the provider may be reached at (none by default: SSRF). */
  readonly egress?: EgressGuard;
}

/** How a provider's error bodies read, where they differ from OpenAI's. */
export interface UpstreamErrorReading {
  /** The body a client sees for a 4xx the request caused (default: the provider's own). */
  readonly clientErrorBody?: (body: Buffer) => Buffer | undefined;
  /** A retry delay (ms) the provider put in its error body when it sent no Retry-After. */
  readonly retryAfterFromBody?: (body: Buffer) => number | undefined;
}

/**
 * The HTTP side every provider adapter shares: one keep-alive pool per provider, created once;
 * JSON POSTs; every failure (status, timeout, connection) turned into a classified ProviderError.
 */
export class ProviderHttpClient {
  /** The base URL's path without a trailing slash, e.g. `/v1`. */
  readonly basePath: string;
  private readonly pool: Pool;
  /** Set when the base URL is an internal address nobody allowed: every call fails with it. */
  private readonly refused: EgressDeniedError | undefined;

  constructor(
    private readonly options: ProviderHttpClientOptions,
    private readonly errors: UpstreamErrorReading = {},
  ) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/$/, '');
    const egress = options.egress;
    try {
      egress?.checkUrl(url);
    } catch (error) {
      if (!(error instanceof EgressDeniedError)) throw error;
      this.refused = error;
    }
    // The pool never follows redirects, so a provider cannot bounce a call to another host.
    this.pool = new Pool(url.origin, {
      connections: 256,
      keepAliveTimeout: 30_000,
      connect: {
        timeout: options.connectTimeoutMs ?? 10_000,
        ...(egress ? { lookup: egress.lookup } : {}),
      },
    });
  }

  /** POSTs JSON; resolves with the body stream of a 2xx, throws ProviderError otherwise. */
  async open(
    path: string,
    payload: unknown,
    signal: AbortSignal,
    options: ProviderCallOptions,
  ): Promise<AsyncIterable<Buffer>> {
    if (this.refused) throw new ProviderError('connection', this.refused.message);
    let response;
    try {
      response = await this.pool.request({
        path,
        method: 'POST',
        headers: this.options.headers,
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
      errorClass === 'client_4xx'
        ? (this.errors.clientErrorBody?.(errorBody) ?? errorBody)
        : undefined,
      parseRetryAfter(response.headers) ?? this.errors.retryAfterFromBody?.(errorBody),
    );
  }

  /** POSTs JSON and reads the whole 2xx body. */
  async post(
    path: string,
    payload: unknown,
    signal: AbortSignal,
    options: ProviderCallOptions,
  ): Promise<Buffer> {
    return this.readAll(await this.open(path, payload, signal, options));
  }

  async readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk);
    } catch (error) {
      throw this.classify(error);
    }
    return Buffer.concat(chunks);
  }

  /** A failure while talking to the provider, as the router classifies it. */
  classify(error: unknown): ProviderError {
    if (error instanceof ProviderError) return error;
    if (
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    ) {
      return new ProviderError('timeout', 'provider did not answer in time');
    }
    if (error instanceof EgressDeniedError) return new ProviderError('connection', error.message);
    return new ProviderError('connection', 'could not reach the provider');
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
