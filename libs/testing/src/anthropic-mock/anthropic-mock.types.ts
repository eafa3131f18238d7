import { type IncomingHttpHeaders } from 'node:http';
import { type MockMessagesRequest } from './anthropic-request.schema';

/** The routes the mock serves; a scripted fault may be limited to one of them. */
export type AnthropicMockPath = '/v1/messages' | '/v1/messages/count_tokens';

/**
 * One scripted behaviour, taken by exactly one request (first in, first out), after which the
 * default behaviour resumes. With `path`, only a request to that route takes it; `reply`,
 * `tool-use` and `stream-error` are only ever taken by `POST /v1/messages`.
 */
export type AnthropicMockFault = AnthropicMockFaultBehaviour & {
  readonly path?: AnthropicMockPath;
};

/** What a scripted fault does to the request that takes it. */
export type AnthropicMockFaultBehaviour =
  /**
   * Answer with this HTTP status and Anthropic error JSON (429 `rate_limit_error`, 529
   * `overloaded_error`, 500 `api_error`…); `retryAfterSeconds` sets `retry-after`.
   */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfterSeconds?: number;
      readonly message?: string;
    }
  /** Never answer until the mock closes; a stream first gets `afterEvents` SSE events. */
  | { readonly kind: 'hang'; readonly afterEvents?: number }
  /** Send the first `afterEvents` SSE events, then close the connection (JSON: half a body). */
  | { readonly kind: 'drop-mid-stream'; readonly afterEvents: number }
  /** 200 with a body that is not JSON; a stream sends one valid event, then invalid data. */
  | { readonly kind: 'malformed-json' }
  /** Send `afterEvents` SSE events, then an `error` event (default `overloaded_error`). */
  | {
      readonly kind: 'stream-error';
      readonly afterEvents: number;
      readonly errorType?: string;
    }
  /** Wait this long (on top of `defaultLatencyMs`), then answer normally. */
  | { readonly kind: 'delay'; readonly ms: number }
  /**
   * Answer with this text instead of the echo, optionally reporting prompt-cache tokens
   * (`cache_read_input_tokens`, `cache_creation_input_tokens`).
   */
  | {
      readonly kind: 'reply';
      readonly content: string;
      readonly cacheReadTokens?: number;
      readonly cacheCreationTokens?: number;
    }
  /** Answer a request that offers `tools` with one `tool_use` block (`stop_reason: tool_use`). */
  | {
      readonly kind: 'tool-use';
      readonly name: string;
      readonly input: Readonly<Record<string, unknown>>;
    };

/** How to start the mock; every field is optional. */
export interface AnthropicMockOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** When set, every request must carry `x-api-key: <apiKey>` (or the key as Bearer) or gets a 401. */
  readonly apiKey?: string;
  /** Wait before every answer, in ms (default 0). */
  readonly defaultLatencyMs?: number;
  /** Pause between SSE events, in ms (default 0: the whole stream is written at once). */
  readonly streamEventIntervalMs?: number;
  /** The default assistant text (default: `echo: <text of the last user message>`). */
  readonly reply?: (request: MockMessagesRequest) => string;
  /** Keep every request in `requests` (default true). */
  readonly recordRequests?: boolean;
}

/** One request as the mock received it. */
export interface AnthropicRecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined without a body, the raw text when it is not JSON. */
  readonly body: unknown;
}

/** A running mock of the Anthropic Messages API. */
export interface AnthropicMock {
  /** Base URL for an Anthropic client or the gateway's `base_url`, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received since start or the last `reset()`, in arrival order. */
  readonly requests: readonly AnthropicRecordedRequest[];
  /** Scripted faults not yet taken by a request. */
  readonly pendingFaults: number;
  /** Bodies of the recorded `POST /v1/messages` requests. */
  messageRequests(): MockMessagesRequest[];
  /** Queues behaviours for the next requests, one request each, in order. */
  script(...faults: AnthropicMockFault[]): void;
  /** Forgets recorded requests and scripted faults not taken yet. */
  reset(): void;
  /** Drops every open connection (including hanging requests) and stops listening. */
  close(): Promise<void>;
}
