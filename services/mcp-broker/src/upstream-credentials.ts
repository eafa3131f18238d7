import { type Principal } from '@aigw/contracts';
import { type McpConfig } from '@aigw/config';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { type McpConnection } from './connection-directory';
import { type CredentialStore } from './credential-store';
import { signSubjectToken } from './subject-token';
import { type TokenExchanger } from './token-exchange';

/**
 * Whose credential reaches the upstream: nobody's (`none`), the connection's shared one
 * (`service`), or the calling user's own (`obo`: an exchanged token or the credential the user
 * stored). The gateway key never does: the broker never sees it.
 */
export class UpstreamCredentials {
  constructor(
    private readonly mcp: () => McpConfig,
    private readonly exchanger: TokenExchanger,
    private readonly store: CredentialStore | undefined,
  ) {}

  /** The `Authorization` header value for this principal's calls, or undefined for none. */
  async authorization(
    connection: McpConnection,
    principal: Principal,
    callerJwt: string,
  ): Promise<string | undefined> {
    const config = connection.config;
    switch (config.auth) {
      case 'none':
        return undefined;
      case 'service':
        return `Bearer ${config.service_credential ?? ''}`;
      case 'obo':
        return `Bearer ${await this.userCredential(connection, principal, callerJwt)}`;
    }
  }

  /** Forgets a cached exchanged token (after the upstream refused it). */
  forget(connection: McpConnection, principal: Principal): void {
    this.exchanger.forget(cacheKey(connection, principal));
  }

  private async userCredential(
    connection: McpConnection,
    principal: Principal,
    callerJwt: string,
  ): Promise<string> {
    const exchange = connection.config.token_exchange;
    if (exchange) {
      const subject = this.mcp().subject_token;
      if (!subject) {
        throw new GatewayError(GatewayErrorCode.Internal, 'mcp.subject_token is not configured');
      }
      // A caller who came with their own OIDC token is exchanged as themselves.
      return this.exchanger.tokenFor(
        cacheKey(connection, principal) + (callerJwt ? `\u0000${callerJwt}` : ''),
        exchange,
        () =>
          callerJwt ||
          signSubjectToken(principal, {
            issuer: subject.issuer,
            secret: subject.secret,
            ttlSeconds: subject.ttl_seconds,
            audience: exchange.token_endpoint,
          }),
      );
    }
    const stored = await this.store?.get(connection.name, principal.id);
    if (!stored) {
      throw new GatewayError(
        GatewayErrorCode.PermissionDenied,
        `No credential of yours is stored for MCP connection "${connection.name}": ` +
          `send it with PUT /mcp-credentials/${connection.name}.`,
      );
    }
    return stored;
  }
}

function cacheKey(connection: McpConnection, principal: Principal): string {
  return `${connection.name}\u0000${principal.id}`;
}
