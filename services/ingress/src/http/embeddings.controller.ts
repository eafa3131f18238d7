import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { ChatPipeline, type ChatResult } from '../pipeline/chat-pipeline';
import { sendOpenAiError } from './error-response';
import { httpCallOf } from './http-call';

/**
 * POST /v1/embeddings, OpenAI wire format, for endpoints of kind `embeddings`. Governed by the
 * same pipeline as chat (key, policy, request guardrails on the `input` texts, events).
 */
@Controller()
export class EmbeddingsController {
  constructor(@Inject(ChatPipeline) private readonly pipeline: ChatPipeline) {}

  @Post('/v1/embeddings')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const call = httpCallOf(request, reply);
    const result = await this.pipeline.handle({
      ...call,
      operation: 'embeddings',
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
