import { type Principal, type RateLimitState, type RequestContext } from '@aigw/contracts';
import { type GatewayError } from '@aigw/core';
import { type ChatCompletionRequest } from '@aigw/llm-api';
import { type PipelineOperation } from './governed-body';
import { type ConversationFacts } from './tool-call-records';

/** One chat completions (or embeddings) call as the HTTP layer hands it over. */
export interface ChatCall {
  /**
   * Default "chat.completions". "embeddings" reads an OpenAI embeddings body (request guardrails
   * see its `input` texts), never streams and has no response guardrails: vectors carry no text.
   */
  readonly operation?: PipelineOperation;
  readonly requestId: string;
  readonly traceId: string;
  readonly credentialSha256: string | undefined;
  /** A bearer JWT, for policy to verify (see presentedCredential); never logged. */
  readonly bearerToken?: string;
  readonly tagsHeader: string | undefined;
  readonly body: unknown;
  readonly bodyBytes: number;
  readonly userAgent: string;
  readonly method: string;
  readonly path: string;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /**
   * Reads the body as an OpenAI chat request, throwing GatewayError when it is invalid; another
   * wire format (e.g. Anthropic Messages) translates here. Default: OpenAI validation.
   */
  readonly readBody?: (body: unknown) => ChatCompletionRequest;
  /**
   * Completes the chat request once the caller is authorised, with conversation state the
   * gateway keeps for this principal (a Responses API `previous_response_id`); throws
   * GatewayError when that state does not exist.
   */
  readonly resolveConversation?: (
    principal: Principal | undefined,
    request: ChatCompletionRequest,
  ) => void | Promise<void>;
  /**
   * Receives the rate-limit state policy reported (limits, remaining, resets, retry-after)
   * before the response starts, so the HTTP layer can send the x-ratelimit-* headers.
   */
  readonly onRateLimit?: (state: RateLimitState) => void;
}

/** What the HTTP layer sends back. */
export type ChatResult =
  | { readonly kind: 'json'; readonly status: number; readonly body: Buffer }
  | { readonly kind: 'stream'; readonly frames: AsyncGenerator<string> }
  | { readonly kind: 'error'; readonly error: GatewayError; readonly upstreamBody?: Buffer };

/** What the pipeline knows about one call while it runs. */
export interface CallState {
  readonly call: ChatCall;
  readonly operation: PipelineOperation;
  readonly context: RequestContext;
  readonly started: number;
  stream: boolean;
  /** Turn count and tool results of a chat conversation, once it is read. */
  conversation?: ConversationFacts;
  /** The limit reservation policy made, until it is settled. */
  reservation?: string;
}
