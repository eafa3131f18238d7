import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { sendOpenAiError } from '../http/error-response';
import { type IngressClients } from '../pipeline/ingress-clients';
import { INGRESS_CLIENTS } from '../ingress.tokens';
import { requireAnalyticsRole } from './analytics-access';
import { AnalyticsReports } from './analytics-reports';
import { parseReportParameters, type ReportParameters } from './report-parameters';

type ReportName = 'usage' | 'top' | 'errors' | 'latency' | 'guardrails' | 'mcp' | 'requests';

/**
 * Read-only analytics over HTTP: GET /admin/analytics/<report>?by=…&since=…, and one request's
 * timeline. Requires a gateway key with the analytics or admin role.
 */
@Controller('/admin/analytics')
export class AnalyticsController {
  private readonly reports: AnalyticsReports;

  constructor(@Inject(INGRESS_CLIENTS) private readonly clients: IngressClients) {
    this.reports = new AnalyticsReports(clients.analytics);
  }

  @Get('/usage')
  usage(@Req() request: FastifyRequest, @Query() query: unknown, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.report('usage', query));
  }

  @Get('/top')
  top(@Req() request: FastifyRequest, @Query() query: unknown, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.report('top', query));
  }

  @Get('/errors')
  errors(@Req() request: FastifyRequest, @Query() query: unknown, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.report('errors', query));
  }

  @Get('/latency')
  latency(@Req() request: FastifyRequest, @Query() query: unknown, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.report('latency', query));
  }

  @Get('/guardrails')
  guardrails(@Req() request: FastifyRequest, @Query() query: unknown, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.report('guardrails', query));
  }

  @Get('/mcp')
  mcp(@Req() request: FastifyRequest, @Query() query: unknown, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.report('mcp', query));
  }

  @Get('/requests')
  requests(@Req() request: FastifyRequest, @Query() query: unknown, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.report('requests', query));
  }

  @Get('/requests/:id/timeline')
  timeline(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    return this.answer(request, reply, () => this.reports.timeline(id));
  }

  private report(name: ReportName, query: unknown): Promise<unknown> {
    const input: ReportParameters = parseReportParameters(query);
    switch (name) {
      case 'usage':
        return this.reports.usage(input);
      case 'top':
        return this.reports.top(input);
      case 'errors':
        return this.reports.errors(input);
      case 'latency':
        return this.reports.latency(input);
      case 'guardrails':
        return this.reports.guardrails(input);
      case 'mcp':
        return this.reports.mcp(input);
      case 'requests':
        return this.reports.requests(input);
    }
  }

  private async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    work: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await requireAnalyticsRole(this.clients.policy, request.headers.authorization);
      const body = await work();
      await reply.header('cache-control', 'no-store').type('application/json').send(body);
    } catch (error) {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(GatewayErrorCode.Internal, 'The analytics request failed.');
      await sendOpenAiError(reply, failure);
    }
  }
}
