import { createHmac } from 'node:crypto';
import { type Principal, PrincipalKind } from '@aigw/contracts';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * A short-lived HS256 JWT naming the principal: the subject token of an RFC 8693 token exchange
 * when the caller came with a gateway key (which itself never leaves the gateway).
 */
export function signSubjectToken(
  principal: Principal,
  options: { issuer: string; secret: string; ttlSeconds: number; audience: string },
  now: Date = new Date(),
): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: options.issuer,
      sub: principal.id,
      aud: options.audience,
      iat: issuedAt,
      exp: issuedAt + options.ttlSeconds,
      groups: principal.groups,
      principal_kind: principal.kind === PrincipalKind.PRINCIPAL_KIND_SERVICE ? 'service' : 'user',
    }),
  );
  const signature = createHmac('sha256', options.secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${base64url(signature)}`;
}
