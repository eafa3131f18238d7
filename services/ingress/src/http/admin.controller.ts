import { Body, Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { authenticateHttpRequest, requireRole } from '../pipeline/credentials';
import { type IngressClients } from '../pipeline/ingress-clients';
import { INGRESS_CLIENTS } from '../ingress.tokens';
import { sendOpenAiError } from './error-response';

const sqlBody = z.strictObject({ sql: z.string().min(1).max(20_000) });

/** Admin API. POST /admin/sql runs one read-only query on the analytics tables. */
@Controller()
export class AdminController {
  constructor(@Inject(INGRESS_CLIENTS) private readonly clients: IngressClients) {}

  @Post('/admin/sql')
  async sql(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const principal = await authenticateHttpRequest(request.headers, this.clients.policy);
      requireRole(principal, ['admin', 'analytics']);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      await sendOpenAiError(reply, error);
      return;
    }
    const parsed = sqlBody.safeParse(body);
    if (!parsed.success) {
      await sendOpenAiError(
        reply,
        new GatewayError(GatewayErrorCode.InvalidRequest, 'Send {"sql": "SELECT …"}.'),
      );
      return;
    }
    try {
      const result = await this.clients.analytics.query({ sql: parsed.data.sql });
      await reply
        .type('application/json')
        .send(Buffer.concat([Buffer.from('{"rows":'), result.rowsJson, Buffer.from('}')]));
    } catch (error) {
      const message =
        error instanceof Error ? error.message.replace(/^\/[^ ]+ /, '') : 'query failed';
      await sendOpenAiError(
        reply,
        new GatewayError(GatewayErrorCode.InvalidRequest, `Query refused or failed: ${message}`),
      );
    }
  }
}
