import { Body, Controller, Delete, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ApiKeyInfo, type Principal, PrincipalKind } from '@aigw/contracts';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { header } from './http-call';
import { authenticateHttpRequest, requireRole } from '../pipeline/credentials';
import { type IngressClients } from '../pipeline/ingress-clients';
import { INGRESS_CLIENTS } from '../ingress.tokens';
import { sendOpenAiError } from './error-response';
import { requestIdentity } from './request-identity';

const name = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-"');

/** A duration like "30d", "12h", "90m", "3600s", or a number of seconds. */
const duration = z
  .union([
    z.number().int().positive(),
    z.string().regex(/^\d{1,6}[smhd]$/, 'must be like 30d, 12h, 90m or 3600s'),
  ])
  .transform((value) => {
    if (typeof value === 'number') return value;
    const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[value.slice(-1) as 's' | 'm' | 'h' | 'd'];
    return Number(value.slice(0, -1)) * unit;
  })
  .pipe(
    z
      .number()
      .int()
      .positive()
      .max(100 * 365 * 86_400, 'must be at most 100 years'),
  );

const createKeyBody = z.strictObject({
  principal: name,
  groups: z.array(name).max(64).default([]),
  /** How long until the key stops working; absent: never. */
  expires_in: duration.optional(),
  /** A service (machine) principal rather than a user; for principals not in the config. */
  service: z.boolean().default(false),
  name: z.string().max(200).default(''),
});

/**
 * Admin API for gateway keys (admin role only): POST /admin/keys creates one and returns the key
 * once, GET /admin/keys lists them (never the key or its hash), DELETE /admin/keys/:id revokes
 * one by id or prefix. Errors in OpenAI error JSON.
 */
@Controller()
export class AdminKeysController {
  constructor(@Inject(INGRESS_CLIENTS) private readonly clients: IngressClients) {}

  @Post('/admin/keys')
  async create(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.asAdmin(request, reply, async (actor) => {
      const parsed = createKeyBody.safeParse(body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const path = issue.path.map(String).join('.');
        throw new GatewayError(
          GatewayErrorCode.InvalidRequest,
          `${path ? `${path}: ` : ''}${issue.message}`,
          path ? { param: path } : {},
        );
      }
      const identity = requestIdentity(header(request, 'traceparent'));
      const created = await this.clients.policy.createKey({
        actor,
        principal: parsed.data.principal,
        groups: parsed.data.groups,
        service: parsed.data.service,
        expiresInSeconds: parsed.data.expires_in ?? 0,
        name: parsed.data.name,
        requestId: identity.requestId,
        traceId: identity.traceId,
      });
      if (created.error || !created.key) {
        throw new GatewayError(GatewayErrorCode.InvalidRequest, created.error || 'not created');
      }
      await reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...keyJson(created.key), key: created.secret });
    });
  }

  @Get('/admin/keys')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.asAdmin(request, reply, async () => {
      const query = request.query as Record<string, string | undefined>;
      const includeRevoked = query['include_revoked'] === 'true';
      const listed = await this.clients.policy.listKeys({ includeRevoked });
      await reply.send({ object: 'list', data: listed.keys.map(keyJson) });
    });
  }

  @Delete('/admin/keys/:id')
  async revoke(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.asAdmin(request, reply, async (actor) => {
      const identity = requestIdentity(header(request, 'traceparent'));
      const revoked = await this.clients.policy.revokeKey({
        actor,
        idOrPrefix: id.slice(0, 100),
        requestId: identity.requestId,
        traceId: identity.traceId,
      });
      if (!revoked.key) {
        throw new GatewayError(
          GatewayErrorCode.NotFound,
          `No key with id or prefix "${id.slice(0, 100)}".`,
        );
      }
      await reply.send(keyJson(revoked.key));
    });
  }

  /** Runs the action for an authenticated admin; any refusal becomes OpenAI error JSON. */
  private async asAdmin(
    request: FastifyRequest,
    reply: FastifyReply,
    action: (actor: Principal) => Promise<void>,
  ): Promise<void> {
    try {
      const actor = await authenticateHttpRequest(request.headers, this.clients.policy);
      requireRole(actor, ['admin']);
      await action(actor);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      await sendOpenAiError(reply, error);
    }
  }
}

/** A key as the admin API shows it (snake_case, like the rest of the HTTP API). */
function keyJson(key: ApiKeyInfo): Record<string, unknown> {
  return {
    object: 'gateway.key',
    id: key.id,
    prefix: key.prefix,
    principal: key.principal,
    kind: key.kind === PrincipalKind.PRINCIPAL_KIND_SERVICE ? 'service' : 'user',
    groups: key.groups,
    name: key.name,
    created_at: key.createdAt,
    created_by: key.createdBy,
    expires_at: key.expiresAt || null,
    revoked_at: key.revokedAt || null,
  };
}
