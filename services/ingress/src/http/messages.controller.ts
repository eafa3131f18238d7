import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  chatCompletionSchema,
  estimateAnthropicInputTokens,
  openAiToAnthropicMessage,
} from '@aigw/llm-api';
import { parseJson } from './chat-frame-reading';
import { readAnthropicMessagesBody } from '../pipeline/anthropic-messages-body';
import { ChatPipeline, type ChatResult } from '../pipeline/chat-pipeline';
import { authenticateHttpRequest } from '../pipeline/credentials';
import { type IngressClients } from '../pipeline/ingress-clients';
import { INGRESS_CLIENTS } from '../ingress.tokens';
import { sendAnthropicError } from './anthropic-error-response';
import { anthropicFramesOf } from './anthropic-sse-frames';
import { httpCallOf } from './http-call';
import { pipeSseFrames } from './sse-response';

/**
 * POST /v1/messages, Anthropic wire format (JSON or SSE), for Claude Code and the Anthropic
 * SDK. The body is translated to an OpenAI chat request and governed by the same ChatPipeline
 * as /v1/chat/completions; answers and errors are translated back.
 */
@Controller()
export class MessagesController {
  constructor(
    @Inject(ChatPipeline) private readonly pipeline: ChatPipeline,
    @Inject(INGRESS_CLIENTS) private readonly clients: IngressClients,
  ) {}

  @Post('/v1/messages')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const call = httpCallOf(request, reply);
    const result = await this.pipeline.handle({
      ...call,
      operation: 'messages',
      readBody: readAnthropicMessagesBody,
    });
    await send(reply, result, call.requestId, modelOf(request.body));
  }

  /** An estimate (about four characters per token) for any caller with a valid key. */
  @Post('/v1/messages/count_tokens')
  async countTokens(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      await authenticateHttpRequest(request.headers, this.clients.policy);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      await sendAnthropicError(reply, error);
      return;
    }
    const body = request.body;
    if (
      body === null ||
      typeof body !== 'object' ||
      !Array.isArray((body as { messages?: unknown }).messages)
    ) {
      await sendAnthropicError(
        reply,
        new GatewayError(GatewayErrorCode.InvalidRequest, 'messages: Field required'),
      );
      return;
    }
    await reply.send({ input_tokens: estimateAnthropicInputTokens(body) });
  }
}

/** The gateway key from `x-api-key` (what the Anthropic API uses) or `Authorization: Bearer`. */
async function send(
  reply: FastifyReply,
  result: ChatResult,
  requestId: string,
  model: string,
): Promise<void> {
  switch (result.kind) {
    case 'json': {
      const completion = chatCompletionSchema.safeParse(parseJson(result.body));
      if (!completion.success) {
        await sendAnthropicError(
          reply,
          new GatewayError(
            GatewayErrorCode.UpstreamError,
            'The provider answer could not be read.',
          ),
        );
        return;
      }
      await reply
        .code(result.status)
        .type('application/json')
        .send(openAiToAnthropicMessage(completion.data));
      return;
    }
    case 'error':
      await sendAnthropicError(reply, result.error, result.upstreamBody);
      return;
    case 'stream':
      await pipeSseFrames(reply, anthropicFramesOf(result.frames, model), requestId);
      return;
  }
}

function modelOf(body: unknown): string {
  return body !== null &&
    typeof body === 'object' &&
    typeof (body as { model?: unknown }).model === 'string'
    ? (body as { model: string }).model
    : '';
}
