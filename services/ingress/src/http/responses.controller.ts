import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  chatCompletionSchema,
  chatToResponsesResponse,
  ChatToResponsesStream,
  namespacedTools,
  type ResponsesIds,
  responsesSettingsOf,
} from '@aigw/llm-api';
import { parseJson } from './chat-frame-reading';
import { ChatPipeline } from '../pipeline/chat-pipeline';
import { readResponsesBody, type ResponsesBody } from '../responses/responses-body';
import { ResponsesConversation } from '../responses/responses-conversation';
import { responsesFramesOf } from '../responses/responses-frames';
import { RESPONSE_CONVERSATIONS } from '../responses/responses.tokens';
import { type ConversationStore } from '../responses/response-conversation-store';
import { sendOpenAiError } from './error-response';
import { httpCallOf } from './http-call';
import { pipeSseFrames } from './sse-response';

/**
 * POST /v1/responses, the OpenAI Responses API (JSON or SSE), for Codex and the OpenAI SDK.
 * The body is translated to a chat request and governed by the same ChatPipeline as
 * /v1/chat/completions (recorded as operation "responses"); answers are translated back.
 */
@Controller()
export class ResponsesController {
  constructor(
    @Inject(ChatPipeline) private readonly pipeline: ChatPipeline,
    @Inject(RESPONSE_CONVERSATIONS) private readonly store: ConversationStore,
  ) {}

  @Post('/v1/responses')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const call = httpCallOf(request, reply);
    let body: ResponsesBody | undefined;
    let conversation: ResponsesConversation | undefined;
    const result = await this.pipeline.handle({
      ...call,
      operation: 'responses',
      readBody: (raw) => {
        body = readResponsesBody(raw);
        conversation = new ResponsesConversation(this.store, body);
        return body.chat;
      },
      resolveConversation: (principal, chat) => conversation?.resolve(principal, chat),
    });
    if (result.kind === 'error' || !body || !conversation) {
      const error =
        result.kind === 'error'
          ? result.error
          : new GatewayError(GatewayErrorCode.Internal, 'the request was not read');
      await sendOpenAiError(
        reply,
        error,
        result.kind === 'error' ? result.upstreamBody : undefined,
      );
      return;
    }
    const ids: ResponsesIds = {
      responseId: `resp_${call.requestId.replace(/-/g, '')}`,
      createdAt: Math.floor(Date.now() / 1000),
    };
    const settings = responsesSettingsOf(body.request);
    const toolNames = namespacedTools(body.request.tools);
    const turns = conversation;
    if (result.kind === 'stream') {
      const translator = new ChatToResponsesStream(settings, ids, toolNames);
      const frames = responsesFramesOf(result.frames, translator, () =>
        turns.save(ids.responseId, translator.items),
      );
      await pipeSseFrames(reply, frames, call.requestId);
      return;
    }
    const completion = chatCompletionSchema.safeParse(parseJson(result.body));
    if (!completion.success) {
      await sendOpenAiError(
        reply,
        new GatewayError(GatewayErrorCode.UpstreamError, 'The provider answer could not be read.'),
      );
      return;
    }
    const response = chatToResponsesResponse(completion.data, settings, ids, toolNames);
    await turns.save(ids.responseId, response.output);
    await reply.code(result.status).type('application/json').send(response);
  }
}
