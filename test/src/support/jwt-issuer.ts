import { registerSecrets } from './secret-scan';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface TokenOptions {
  readonly iss?: string;
  readonly aud?: string;
  /** Seconds from now; negative: already expired. */
  readonly expiresIn?: number;
  /** Sign with a key the issuer does not publish (under the published key id). */
  readonly forged?: boolean;
}

/** A test OIDC-style issuer: RS256 keys, a JWKS served over HTTP, tokens on demand. */
export class TestJwtIssuer {
  readonly issuer = 'https://idp.e2e.test/';
  private constructor(
    private readonly server: Server,
    readonly jwksUrl: string,
    private readonly signing: KeyPair,
    private readonly forger: KeyPair,
  ) {}

  static async start(): Promise<TestJwtIssuer> {
    const signing = await generateKeyPair('RS256');
    const forger = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'e2e-1', alg: 'RS256', use: 'sig' };
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return new TestJwtIssuer(server, `http://127.0.0.1:${port}/jwks.json`, signing, forger);
  }

  /** The `auth:` section trusting this issuer (audience "aigw"). */
  authYaml(): string {
    return `auth:
  jwt:
    issuers:
      e2e-idp:
        issuer: ${this.issuer}
        audiences: [aigw]
        jwks_url: ${this.jwksUrl}
        algorithms: [RS256]
        groups_claim: realm_access.groups
        roles: { claim: app_roles, admin: [gateway-admin] }
        service: { claim: idtyp, values: [app] }
`;
  }

  async token(claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'e2e-1' })
      .setIssuer(options.iss ?? this.issuer)
      .setAudience(options.aud ?? 'aigw')
      .setIssuedAt(now - 5)
      .setExpirationTime(now + (options.expiresIn ?? 600))
      .sign((options.forged ? this.forger : this.signing).privateKey);
    registerSecrets(token);
    return token;
  }

  /** An `alg: none` token with otherwise valid claims. */
  unsigned(claims: Record<string, unknown>): string {
    const token = new UnsecuredJWT(claims)
      .setIssuer(this.issuer)
      .setAudience('aigw')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .encode();
    registerSecrets(token);
    return token;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}
