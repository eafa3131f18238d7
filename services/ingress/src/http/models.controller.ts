import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { credentialHash } from '../pipeline/credentials';
import { type IngressClients } from '../pipeline/ingress-clients';
import { INGRESS_CLIENTS } from '../ingress.tokens';
import { sendOpenAiError } from './error-response';

/** GET /v1/models: the endpoints this caller may use, as OpenAI model objects. */
@Controller()
export class ModelsController {
  constructor(@Inject(INGRESS_CLIENTS) private readonly clients: IngressClients) {}

  @Get('/v1/models')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const authorization = request.headers.authorization;
    const credential = credentialHash(
      authorization,
      request.headers['x-api-key'] as string | undefined,
    );
    if (!credential) {
      await sendOpenAiError(
        reply,
        new GatewayError(GatewayErrorCode.Unauthenticated, 'Missing API key.'),
      );
      return;
    }
    const result = await this.clients.policy.listEndpoints({ credentialSha256: credential });
    if (!result.authenticated) {
      await sendOpenAiError(
        reply,
        new GatewayError(GatewayErrorCode.Unauthenticated, 'Invalid API key.'),
      );
      return;
    }
    await reply.send({
      object: 'list',
      data: result.endpoints.map((endpoint) => ({
        id: endpoint.name,
        object: 'model',
        created: endpoint.created,
        owned_by: 'aigw',
      })),
    });
  }
}
