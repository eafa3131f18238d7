import { type IncomingHttpHeaders } from 'node:http';
import { type ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { type MockChatRequest } from './openai-request.schema';

/** The routes the mock serves; a scripted fault may be limited to one of them. */
export type OpenAiMockPath = '/v1/chat/completions' | '/v1/embeddings' | '/v1/models';

/**
 * One scripted behaviour, taken by exactly one request (first in, first out), after which the
 * default behaviour resumes. With `path`, only a request to that route takes it; `reply` and
 * `tool-call` are only ever taken by chat completions.
 */
export type OpenAiMockFault = OpenAiMockFaultBehaviour & { readonly path?: OpenAiMockPath };

/** What a scripted fault does to the request that takes it. */
export type OpenAiMockFaultBehaviour =
  /** Answer with this HTTP status and OpenAI error JSON; a 429 also carries `Retry-After`. */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      readonly message?: string;
    }
  /**
   * Accept the request and never answer until the mock is closed. With `afterChunks` a
   * streaming request first receives that many SSE events, then stalls.
   */
  | { readonly kind: 'hang'; readonly afterChunks?: number }
  /**
   * Send the first `afterChunks` SSE events, then close the connection without ending the
   * stream. A non-streaming request receives half of its JSON body before the close.
   */
  | { readonly kind: 'drop-mid-stream'; readonly afterChunks: number }
  /** 200 with a body that is not JSON; a stream sends one valid chunk, then invalid `data:`. */
  | { readonly kind: 'malformed-json' }
  /** Wait this long (on top of `defaultLatencyMs`), then answer normally. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answer a chat completion with this assistant text instead of the echo. */
  | { readonly kind: 'reply'; readonly content: string }
  /**
   * Answer a chat completion that offers `tools` with one call of this function
   * (`finish_reason: "tool_calls"`). A request without `tools` gets the normal text reply.
   */
  | {
      readonly kind: 'tool-call';
      readonly name: string;
      readonly arguments: string | Readonly<Record<string, unknown>>;
    };

/** How to start the mock; every field is optional. */
export interface OpenAiMockOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>` or gets a 401. */
  readonly apiKey?: string;
  /** Wait before every answer, in ms (default 0: answer at once). */
  readonly defaultLatencyMs?: number;
  /** Pause between SSE events, in ms (default 0: the whole stream is written at once). */
  readonly streamChunkIntervalMs?: number;
  /** Length of every embedding unless the request asks for `dimensions` (default 8). */
  readonly embeddingDimensions?: number;
  /** Model ids listed by `GET /v1/models`. */
  readonly models?: readonly string[];
  /** The default assistant text for a chat request (default: `echo: <last user message>`). */
  readonly reply?: (request: MockChatRequest) => string;
  /** Keep every request in `requests` (default true; turn off for long benchmarks). */
  readonly recordRequests?: boolean;
}

/** One request as the mock received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined without a body, the raw text when it is not JSON. */
  readonly body: unknown;
}

/** A running mock of the OpenAI REST API (chat completions, embeddings, models). */
export interface OpenAiMock {
  /** Base URL for an OpenAI client, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received since start or the last `reset()`, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Scripted faults not yet taken by a request. */
  readonly pendingFaults: number;
  /** Bodies of the recorded `POST /v1/chat/completions` requests, typed as the SDK sends them. */
  chatRequests(): ChatCompletionCreateParams[];
  /** Queues behaviours for the next requests, one request each, in order. */
  script(...faults: OpenAiMockFault[]): void;
  /** Forgets recorded requests and scripted faults that were not taken yet. */
  reset(): void;
  /** Drops every open connection (including hanging requests) and stops listening. */
  close(): Promise<void>;
}
