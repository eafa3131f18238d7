import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { ChatPipeline, type ChatResult } from '../pipeline/chat-pipeline';
import { presentedCredential } from '../pipeline/credentials';
import { sendOpenAiError } from './error-response';
import { requestIdentity } from './request-identity';
import { setRateLimitHeaders } from './rate-limit-headers';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * POST /v1/embeddings, OpenAI wire format, for endpoints of kind `embeddings`. Governed by the
 * same pipeline as chat (key, policy, request guardrails on the `input` texts, events).
 */
@Controller()
export class EmbeddingsController {
  constructor(@Inject(ChatPipeline) private readonly pipeline: ChatPipeline) {}

  @Post('/v1/embeddings')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const identity = requestIdentity(header(request, 'traceparent'));
    reply.header('x-request-id', identity.requestId);
    const aborted = new AbortController();
    request.raw.once('close', () => {
      if (!reply.raw.writableFinished) aborted.abort();
    });
    const result = await this.pipeline.handle({
      ...identity,
      operation: 'embeddings',
      ...presentedCredential(header(request, 'authorization'), header(request, 'x-api-key')),
      tagsHeader: header(request, 'x-aigw-tags'),
      body: request.body,
      bodyBytes: Number(header(request, 'content-length') ?? 0),
      userAgent: header(request, 'user-agent') ?? '',
      method: request.method,
      path: request.url,
      signal: aborted.signal,
      onRateLimit: (limits) => setRateLimitHeaders(reply, limits),
    });
    await send(reply, result);
  }
}

async function send(reply: FastifyReply, result: ChatResult): Promise<void> {
  switch (result.kind) {
    case 'json':
      await reply.code(result.status).type('application/json').send(result.body);
      return;
    case 'error':
      await sendOpenAiError(reply, result.error, result.upstreamBody);
      return;
    case 'stream':
      // The pipeline never streams embeddings; close the generator and say so.
      await result.frames.return(undefined);
      await sendOpenAiError(
        reply,
        new GatewayError(GatewayErrorCode.Internal, 'embeddings cannot be streamed'),
      );
      return;
  }
}
