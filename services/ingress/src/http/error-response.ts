import { type FastifyReply } from 'fastify';
import { type GatewayError, openAiErrorTypeOf } from '@aigw/core';
import { openAiErrorBody } from '@aigw/llm-api';

/** Sends a gateway error as OpenAI error JSON with the mapped status. */
export function sendOpenAiError(
  reply: FastifyReply,
  error: GatewayError,
  upstreamBody?: Buffer,
): FastifyReply {
  const status = error.httpStatus;
  if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  // A provider's own 4xx body (already OpenAI-shaped for OpenAI targets) tells the client most.
  if (upstreamBody && status >= 400 && status < 500 && looksLikeOpenAiError(upstreamBody)) {
    return reply.code(status).type('application/json').send(upstreamBody);
  }
  const param = typeof error.context['param'] === 'string' ? error.context['param'] : null;
  return reply
    .code(status)
    .type('application/json')
    .send(openAiErrorBody(error.message, openAiErrorTypeOf(error.code), error.code, param || null));
}

function looksLikeOpenAiError(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string';
  } catch {
    return false;
  }
}
