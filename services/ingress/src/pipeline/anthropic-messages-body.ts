import { GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  anthropicMessagesRequestSchema,
  anthropicToOpenAiRequest,
  type ChatCompletionRequest,
} from '@aigw/llm-api';
import { MalformedJsonBody } from './malformed-json-body';

/**
 * Reads a `POST /v1/messages` body (Anthropic wire format) as the OpenAI chat request the
 * pipeline governs and routes; an invalid body is a GatewayError naming the first bad field.
 */
export function readAnthropicMessagesBody(body: unknown): ChatCompletionRequest {
  if (body instanceof MalformedJsonBody) {
    throw new GatewayError(GatewayErrorCode.InvalidJson, 'The request body is not valid JSON.');
  }
  const parsed = anthropicMessagesRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new GatewayError(
      GatewayErrorCode.InvalidRequest,
      `${path || 'body'}: ${issue?.message ?? 'invalid'}`,
      { param: path },
    );
  }
  return anthropicToOpenAiRequest(parsed.data);
}
