import { type IncomingHttpHeaders } from 'node:http';
import {
  type MockBatchEmbedContentsRequest,
  type MockGenerateContentRequest,
} from './gemini-request.schema';

/** The methods the mock serves; a scripted fault may be limited to one of them. */
export type GeminiMockMethod = 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents';

/**
 * One scripted behaviour, taken by exactly one request (first in, first out), after which the
 * default behaviour resumes. With `method`, only a request to that method takes it.
 */
export type GeminiMockFault = GeminiMockFaultBehaviour & { readonly method?: GeminiMockMethod };

/** What a scripted fault does to the request that takes it. */
export type GeminiMockFaultBehaviour =
  /**
   * Answer with this HTTP status and Google error JSON (429 `RESOURCE_EXHAUSTED` with a
   * `RetryInfo` detail when `retryDelaySeconds` is set, 500 `INTERNAL`, 503 `UNAVAILABLE`…).
   */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryDelaySeconds?: number;
      readonly message?: string;
    }
  /** Never answer until the mock closes; a stream first gets `afterEvents` SSE events. */
  | { readonly kind: 'hang'; readonly afterEvents?: number }
  /** Send the first `afterEvents` SSE events, then close the connection (JSON: half a body). */
  | { readonly kind: 'drop-mid-stream'; readonly afterEvents: number }
  /** 200 with a body that is not JSON; a stream sends one valid event, then invalid data. */
  | { readonly kind: 'malformed-json' }
  /** Wait this long (on top of `defaultLatencyMs`), then answer normally. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answer with this text instead of the echo, optionally reporting cached and thought tokens. */
  | {
      readonly kind: 'reply';
      readonly text: string;
      readonly cachedTokens?: number;
      readonly thoughtsTokens?: number;
    }
  /** Answer a request that declares functions with one `functionCall` part. */
  | {
      readonly kind: 'function-call';
      readonly name: string;
      readonly args: Readonly<Record<string, unknown>>;
    };

/** How to start the mock; every field is optional. */
export interface GeminiMockOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** When set, every request must carry `x-goog-api-key: <apiKey>` (or `?key=`) or gets a 400. */
  readonly apiKey?: string;
  /** Wait before every answer, in ms (default 0). */
  readonly defaultLatencyMs?: number;
  /** Pause between SSE events, in ms (default 0: the whole stream is written at once). */
  readonly streamEventIntervalMs?: number;
  /** The default model text (default: `echo: <text of the last user turn>`). */
  readonly reply?: (request: MockGenerateContentRequest) => string;
  /** Vector length of embeddings without `outputDimensionality` (default 768). */
  readonly embeddingDimensions?: number;
  /** Keep every request in `requests` (default true). */
  readonly recordRequests?: boolean;
}

/** One request as the mock received it. */
export interface GeminiRecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1beta/models/gemini-2.5-flash:generateContent`. */
  readonly path: string;
  /** The query string without `?` (e.g. `alt=sse`), '' when none. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined without a body, the raw text when it is not JSON. */
  readonly body: unknown;
}

/** A running mock of the Gemini API (generateContent, streamGenerateContent, batchEmbedContents). */
export interface GeminiMock {
  /** Base URL for a Gemini client or the gateway's `base_url`, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: readonly GeminiRecordedRequest[];
  readonly pendingFaults: number;
  /** Bodies of the recorded generate requests, with the model named in their path. */
  generateRequests(): Array<{ model: string; body: MockGenerateContentRequest }>;
  /** Bodies of the recorded batchEmbedContents requests, with the model named in their path. */
  embedRequests(): Array<{ model: string; body: MockBatchEmbedContentsRequest }>;
  script(...faults: GeminiMockFault[]): void;
  reset(): void;
  close(): Promise<void>;
}
