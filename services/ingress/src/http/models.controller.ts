import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { credentialFromHeaders, unauthenticatedError } from '../pipeline/credentials';
import { type IngressClients } from '../pipeline/ingress-clients';
import { INGRESS_CLIENTS } from '../ingress.tokens';
import { sendAnthropicError } from './anthropic-error-response';
import { sendOpenAiError } from './error-response';
import {
  anthropicModel,
  anthropicModelList,
  type ListedEndpoint,
  openAiModel,
  wantsAnthropicShape,
} from './model-list-shapes';

/** GET /v1/models: the endpoints this caller may use, as OpenAI model objects. */
@Controller()
export class ModelsController {
  constructor(@Inject(INGRESS_CLIENTS) private readonly clients: IngressClients) {}

  @Get('/v1/models')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const endpoints = await this.endpointsOf(request, reply);
    if (!endpoints) return;
    await reply.send(
      wantsAnthropicShape(request)
        ? anthropicModelList(endpoints)
        : { object: 'list', data: endpoints.map(openAiModel) },
    );
  }

  /** One endpoint, in the caller's API shape; 404 in that API's error format when unknown. */
  @Get('/v1/models/:model')
  async retrieve(
    @Req() request: FastifyRequest<{ Params: { model: string } }>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const endpoints = await this.endpointsOf(request, reply);
    if (!endpoints) return;
    const endpoint = endpoints.find((candidate) => candidate.name === request.params.model);
    const anthropic = wantsAnthropicShape(request);
    if (!endpoint) {
      const error = new GatewayError(
        GatewayErrorCode.UnknownEndpoint,
        `The model "${request.params.model.slice(0, 256)}" does not exist or you do not have access to it.`,
      );
      await (anthropic ? sendAnthropicError(reply, error) : sendOpenAiError(reply, error));
      return;
    }
    await reply.send(anthropic ? anthropicModel(endpoint) : openAiModel(endpoint));
  }

  /** The caller's endpoints, or undefined after answering 401 in the caller's API format. */
  private async endpointsOf(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<ListedEndpoint[] | undefined> {
    const sendError = wantsAnthropicShape(request) ? sendAnthropicError : sendOpenAiError;
    const credential = credentialFromHeaders(request.headers);
    if (!credential.credentialSha256) {
      await sendError(
        reply,
        new GatewayError(GatewayErrorCode.Unauthenticated, 'Missing API key.'),
      );
      return undefined;
    }
    const result = await this.clients.policy.listEndpoints({
      credentialSha256: credential.credentialSha256,
      bearerToken: credential.bearerToken ?? '',
    });
    if (!result.authenticated) {
      await sendError(reply, unauthenticatedError(credential));
      return undefined;
    }
    return result.endpoints.map((endpoint) => ({
      name: endpoint.name,
      created: endpoint.created,
    }));
  }
}
