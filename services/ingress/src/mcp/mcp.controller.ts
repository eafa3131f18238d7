import { Controller, Delete, Get, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { header } from '../http/http-call';
import { sendOpenAiError } from '../http/error-response';
import { requestIdentity } from '../http/request-identity';
import { McpProxy } from './mcp-proxy';
import { pipeSse, sendJsonRpcError } from './mcp-http-response';

const credentialBody = z.strictObject({ credential: z.string().min(1).max(16_384) });

/**
 * The governed MCP endpoint, Streamable HTTP: POST carries one JSON-RPC message; the answer is
 * JSON, or SSE when the upstream sends notifications (progress, logging) before the response.
 * The gateway keeps no agent-side session, so GET (server-initiated stream) and DELETE answer 405.
 */
@Controller()
export class McpController {
  constructor(@Inject(McpProxy) private readonly proxy: McpProxy) {}

  @Post('/mcp/:connection')
  async post(
    @Param('connection') connection: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const identity = requestIdentity(header(request, 'traceparent'));
    reply.header('x-request-id', identity.requestId);
    const aborted = new AbortController();
    request.raw.once('close', () => {
      if (!reply.raw.writableFinished) aborted.abort();
    });
    const result = await this.proxy.handle({
      ...identity,
      connection,
      headers: request.headers,
      tagsHeader: header(request, 'x-aigw-tags'),
      body: request.body,
      httpMethod: 'POST',
      signal: aborted.signal,
    });
    switch (result.kind) {
      case 'error':
        await sendJsonRpcError(reply, result.error, result.id);
        return;
      case 'accepted':
        await reply.code(202).send();
        return;
      case 'json':
        await reply.type('application/json').send(Buffer.from(result.message));
        return;
      case 'stream':
        if ((header(request, 'accept') ?? '').includes('text/event-stream')) {
          await pipeSse(reply, result.messages, identity.requestId);
        } else {
          // A JSON-only agent gets the response alone.
          let last: Uint8Array = Buffer.alloc(0);
          for await (const message of result.messages) last = message;
          await reply.type('application/json').send(Buffer.from(last));
        }
        return;
    }
  }

  @Get('/mcp/:connection')
  async get(@Res() reply: FastifyReply): Promise<void> {
    await this.methodNotAllowed(reply);
  }

  @Delete('/mcp/:connection')
  async delete(@Res() reply: FastifyReply): Promise<void> {
    await this.methodNotAllowed(reply);
  }

  /** PUT /mcp-credentials/<connection> {"credential": "..."}: the caller's own upstream credential. */
  @Put('/mcp-credentials/:connection')
  async putCredential(
    @Param('connection') connection: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const parsed = credentialBody.safeParse(request.body);
    try {
      if (!parsed.success) {
        throw new GatewayError(GatewayErrorCode.InvalidRequest, 'Send {"credential": "…"}.');
      }
      await this.proxy.putCredential(
        request.headers,
        connection,
        parsed.data.credential,
        requestIdentity(header(request, 'traceparent')),
      );
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      await sendOpenAiError(reply, error);
      return;
    }
    await reply.code(204).send();
  }

  private async methodNotAllowed(reply: FastifyReply): Promise<void> {
    reply.header('allow', 'POST');
    await sendJsonRpcError(
      reply,
      new GatewayError(
        GatewayErrorCode.MethodNotAllowed,
        'This MCP endpoint keeps no session: send each message with POST.',
      ),
    );
  }
}
