import { GatewayError, GatewayErrorCode } from '@aigw/core';
import { type McpConnectionConfig } from '@aigw/config';

type TokenExchangeConfig = NonNullable<McpConnectionConfig['token_exchange']>;

const grantType = 'urn:ietf:params:oauth:grant-type:token-exchange';
const jwtTokenType = 'urn:ietf:params:oauth:token-type:jwt';
/** Exchanged tokens are refreshed this long before they expire. */
const expirySkewMs = 30_000;
/** A token endpoint that gives no expires_in: reuse the token this long. */
const defaultLifetimeMs = 300_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * RFC 8693 token exchange: trades a subject token naming the user for an access token the
 * upstream accepts, cached per (connection, user) until shortly before it expires.
 */
export class TokenExchanger {
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  async tokenFor(
    cacheKey: string,
    config: TokenExchangeConfig,
    subjectToken: () => string,
  ): Promise<string> {
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const exchanged = await this.exchange(config, subjectToken());
    this.cache.set(cacheKey, exchanged);
    return exchanged.token;
  }

  /** Drops a cached token the upstream refused. */
  forget(cacheKey: string): void {
    this.cache.delete(cacheKey);
  }

  private async exchange(config: TokenExchangeConfig, subjectToken: string): Promise<CachedToken> {
    const form = new URLSearchParams({
      grant_type: grantType,
      subject_token: subjectToken,
      subject_token_type: jwtTokenType,
      requested_token_type: config.requested_token_type,
    });
    if (config.audience) form.set('audience', config.audience);
    if (config.scope) form.set('scope', config.scope);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (config.client_secret) {
      const basic = `${encodeURIComponent(config.client_id)}:${encodeURIComponent(config.client_secret)}`;
      headers['authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
    } else {
      form.set('client_id', config.client_id);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(config.token_endpoint, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new GatewayError(
        GatewayErrorCode.UpstreamUnavailable,
        'The token endpoint of this MCP connection cannot be reached.',
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined;
    if (!response.ok || typeof body?.access_token !== 'string' || !body.access_token) {
      // The OAuth error code is safe to show; the body may hold more and is not echoed.
      const oauthError = typeof body?.error === 'string' ? ` (${body.error.slice(0, 64)})` : '';
      throw new GatewayError(
        GatewayErrorCode.PermissionDenied,
        `The token endpoint refused to exchange a token for this user${oauthError}.`,
      );
    }
    const lifetimeMs =
      typeof body.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in * 1000
        : defaultLifetimeMs;
    return {
      token: body.access_token,
      expiresAt: Date.now() + Math.max(lifetimeMs - expirySkewMs, lifetimeMs / 2),
    };
  }
}
