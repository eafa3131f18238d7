import { type FastifyReply } from 'fastify';
import { type GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  anthropicErrorBody,
  type AnthropicErrorType,
  anthropicErrorTypeOfStatus,
} from '@aigw/llm-api';

/** Anthropic's `error.type` for each gateway error code. */
export function anthropicErrorTypeOf(code: GatewayErrorCode): AnthropicErrorType {
  switch (code) {
    case GatewayErrorCode.InvalidRequest:
    case GatewayErrorCode.InvalidJson:
    case GatewayErrorCode.MethodNotAllowed:
    case GatewayErrorCode.GuardrailBlocked:
      return 'invalid_request_error';
    case GatewayErrorCode.BodyTooLarge:
      return 'request_too_large';
    case GatewayErrorCode.NotFound:
    case GatewayErrorCode.UnknownEndpoint:
      return 'not_found_error';
    case GatewayErrorCode.Unauthenticated:
      return 'authentication_error';
    case GatewayErrorCode.PermissionDenied:
      return 'permission_error';
    case GatewayErrorCode.RateLimited:
      return 'rate_limit_error';
    case GatewayErrorCode.ServiceUnavailable:
      return 'overloaded_error';
    case GatewayErrorCode.UpstreamError:
    case GatewayErrorCode.UpstreamRejected:
    case GatewayErrorCode.UpstreamUnavailable:
    case GatewayErrorCode.UpstreamTimeout:
    case GatewayErrorCode.Internal:
      return 'api_error';
  }
}

/**
 * Sends a gateway error as Anthropic error JSON with the mapped status. A provider's own 4xx
 * (handed on by the router as OpenAI error JSON) keeps its status and message.
 */
export function sendAnthropicError(
  reply: FastifyReply,
  error: GatewayError,
  upstreamBody?: Buffer,
): FastifyReply {
  const status = error.httpStatus;
  if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  const upstreamMessage =
    upstreamBody && status >= 400 && status < 500 ? messageOf(upstreamBody) : undefined;
  const body = upstreamMessage
    ? anthropicErrorBody(anthropicErrorTypeOfStatus(status), upstreamMessage)
    : anthropicErrorBody(anthropicErrorTypeOf(error.code), error.message);
  return reply.code(status).type('application/json').send(body);
}

function messageOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}
