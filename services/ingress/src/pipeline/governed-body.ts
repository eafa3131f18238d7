import { GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  applyChatTextParts,
  applyEmbeddingTextParts,
  type ChatCompletionRequest,
  type ChatTextPart,
  chatTextParts,
  type EmbeddingRequest,
  embeddingRequestSchema,
  embeddingTextParts,
} from '@aigw/llm-api';
import { type z } from 'zod';
import { groundingMessageParts, takeSuppliedContext } from './grounding-parts';
import { MalformedJsonBody } from './malformed-json-body';

/** The API operations the governed pipeline serves; each endpoint kind serves one of them. */
export type PipelineOperation = 'chat.completions' | 'messages' | 'embeddings' | 'responses';

/** A validated request body as the pipeline guards and routes it, whatever its operation. */
export interface GovernedBody {
  /** What goes to the provider-router as JSON, after request guardrails changed it. */
  readonly request: ChatCompletionRequest | EmbeddingRequest;
  textParts(): ChatTextPart[];
  applyTextParts(parts: readonly ChatTextPart[]): void;
  /** Context an answer should be grounded in (for hallucination judges); read-only. */
  groundingParts(): ChatTextPart[];
}

export function chatBody(request: ChatCompletionRequest): GovernedBody {
  const suppliedContext = takeSuppliedContext(request);
  return {
    request,
    textParts: () => chatTextParts(request),
    applyTextParts: (parts) => applyChatTextParts(request, parts),
    groundingParts: () => [...suppliedContext, ...groundingMessageParts(request)],
  };
}

/** Reads an OpenAI embeddings body; the `input` texts are what request guardrails see. */
export function readEmbeddingsBody(body: unknown): GovernedBody {
  const request = parseBody(embeddingRequestSchema, body);
  return {
    request,
    textParts: () => embeddingTextParts(request),
    applyTextParts: (parts) => applyEmbeddingTextParts(request, parts),
    groundingParts: () => [],
  };
}

/** Validates an OpenAI-format body, throwing GatewayError with the first problem's path. */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
): z.infer<Schema> {
  if (body instanceof MalformedJsonBody) {
    throw new GatewayError(GatewayErrorCode.InvalidJson, 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new GatewayError(
    GatewayErrorCode.InvalidRequest,
    `Invalid request body${path ? ` at "${path}"` : ''}: ${issue?.message ?? 'invalid'}`,
    { param: path },
  );
}
