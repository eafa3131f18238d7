import { type RequestContext } from '@aigw/contracts';
import { type GatewayError } from '@aigw/core';
import { type ChatCompletionRequest } from '@aigw/llm-api';
import { type PipelineOperation } from './governed-body';

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
}
