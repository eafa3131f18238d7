import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One token exchange the endpoint granted. */
export interface GrantedExchange {
  readonly subject: string;
  readonly subjectToken: string;
  readonly audience: string | null;
  readonly issuedToken: string;
}

/** A local OAuth 2.0 token endpoint doing RFC 8693 token exchange for the tests. */
export interface OAuthTokenEndpoint {
  readonly url: string;
  readonly grants: GrantedExchange[];
  close(): Promise<void>;
}

function verifyHs256(token: string, secret: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 < Date.now()) return undefined;
  return claims;
}

/**
 * Verifies the client (HTTP Basic) and the subject token (HS256 with the gateway's subject
 * secret), then issues a fresh opaque token for the subject and calls `onIssued` with it.
 */
export async function startOAuthTokenEndpoint(options: {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly subjectSecret: string;
  readonly onIssued: (token: string, subject: string) => void;
}): Promise<OAuthTokenEndpoint> {
  const grants: GrantedExchange[] = [];
  const refuse = (response: ServerResponse, status: number, error: string) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error }));
  };
  const http: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
      if (request.headers.authorization !== `Basic ${basic}`) {
        refuse(response, 401, 'invalid_client');
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') {
        refuse(response, 400, 'unsupported_grant_type');
        return;
      }
      const subjectToken = form.get('subject_token') ?? '';
      const claims = verifyHs256(subjectToken, options.subjectSecret);
      if (
        !claims ||
        typeof claims['sub'] !== 'string' ||
        form.get('subject_token_type') !== 'urn:ietf:params:oauth:token-type:jwt'
      ) {
        refuse(response, 400, 'invalid_grant');
        return;
      }
      const issuedToken = `exchanged-${claims['sub']}-${randomBytes(8).toString('hex')}`;
      grants.push({
        subject: claims['sub'],
        subjectToken,
        audience: form.get('audience'),
        issuedToken,
      });
      options.onIssued(issuedToken, claims['sub']);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          access_token: issuedToken,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 600,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    grants,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
