import { once } from 'node:events';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { ChatPipeline, type ChatResult } from '../pipeline/chat-pipeline';
import { sendOpenAiError } from './error-response';
import { httpCallOf } from './http-call';

/** POST /v1/chat/completions, OpenAI wire format, JSON or SSE. */
@Controller()
export class ChatCompletionsController {
  constructor(@Inject(ChatPipeline) private readonly pipeline: ChatPipeline) {}

  @Post('/v1/chat/completions')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const call = httpCallOf(request, reply);
    const result = await this.pipeline.handle({
      ...call,
    });
    await send(reply, result, call.requestId);
  }
}

async function send(reply: FastifyReply, result: ChatResult, requestId: string): Promise<void> {
  switch (result.kind) {
    case 'json':
      await reply.code(result.status).type('application/json').send(result.body);
      return;
    case 'error':
      await sendOpenAiError(reply, result.error, result.upstreamBody);
      return;
    case 'stream':
      await pipeStream(reply, result.frames, requestId);
      return;
  }
}

/** Writes SSE frames as they come; respects backpressure; stops when the client leaves. */
async function pipeStream(
  reply: FastifyReply,
  frames: AsyncGenerator<string>,
  requestId: string,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  // Headers set before the stream started (e.g. x-ratelimit-*) go out with it.
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) raw.setHeader(name, value);
  }
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': requestId,
  });
  try {
    for await (const frame of frames) {
      if (raw.destroyed) break;
      if (!raw.write(frame)) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
    }
  } finally {
    raw.end();
  }
}
