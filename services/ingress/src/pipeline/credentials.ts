import {
  type AuthenticateResponse,
  type PolicyServiceClient,
  type Principal,
} from '@aigw/contracts';
import { GatewayError, GatewayErrorCode, sha256Hex } from '@aigw/core';

/** A JWS compact token: three base64url parts (the last empty for `alg: none`, still refused). */
const jwtShape = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;

/**
 * What a caller presented, ready for policy: the SHA-256 of the bearer value (a gateway key
 * never leaves the ingress) and, when the value is shaped like a JWT, the token itself for
 * policy to verify. The token is never logged or put in an event.
 */
export interface PresentedCredential {
  readonly credentialSha256: string | undefined;
  readonly bearerToken?: string;
}

/** The headers authentication reads; header values as Fastify/Node give them. */
export type CredentialHeaders = Readonly<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The bearer value from `Authorization: Bearer <value>`, else `x-api-key`; undefined if none. */
export function bearerValue(
  authorization: string | undefined,
  apiKeyHeader?: string,
): string | undefined {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  const key = apiKeyHeader?.trim();
  return key ? key : undefined;
}

/** The gateway key from `Authorization: Bearer <key>` (or `x-api-key`), hashed; undefined if none. */
export function credentialHash(
  authorization: string | undefined,
  apiKeyHeader?: string,
): string | undefined {
  const value = bearerValue(authorization, apiKeyHeader);
  return value ? sha256Hex(value) : undefined;
}

/** The credential in `Authorization: Bearer …` or `x-api-key`: a key's hash, or a JWT. */
export function presentedCredential(
  authorization: string | undefined,
  apiKeyHeader?: string,
): PresentedCredential {
  const value = bearerValue(authorization, apiKeyHeader);
  if (!value) return { credentialSha256: undefined };
  return jwtShape.test(value)
    ? { credentialSha256: sha256Hex(value), bearerToken: value }
    : { credentialSha256: sha256Hex(value) };
}

/** The credential a request's headers carry (see presentedCredential). */
export function credentialFromHeaders(headers: CredentialHeaders): PresentedCredential {
  return presentedCredential(first(headers['authorization']), first(headers['x-api-key']));
}

/**
 * Who sent this HTTP request: one function for every route that needs an identity (admin, MCP,
 * models). Accepts a gateway key (`Authorization: Bearer` or `x-api-key`) or a bearer JWT.
 * Throws GatewayError (401) when there is no credential or policy does not accept it.
 */
export async function authenticateHttpRequest(
  headers: CredentialHeaders,
  policy: PolicyServiceClient,
): Promise<Principal> {
  const credential = credentialFromHeaders(headers);
  if (!credential.credentialSha256) {
    throw new GatewayError(
      GatewayErrorCode.Unauthenticated,
      'Missing credentials: send "Authorization: Bearer <gateway key or token>".',
    );
  }
  const identity: AuthenticateResponse = await policy.authenticate({
    credentialSha256: credential.credentialSha256,
    bearerToken: credential.bearerToken ?? '',
  });
  if (!identity.authenticated || !identity.principal) {
    throw unauthenticatedError(credential, identity.reason);
  }
  return identity.principal;
}

/** The 401 for a refused credential: generic for keys, the reason for tokens (never the token). */
export function unauthenticatedError(credential: PresentedCredential, reason = ''): GatewayError {
  if (credential.bearerToken && reason.startsWith('bearer token: ')) {
    return new GatewayError(
      GatewayErrorCode.Unauthenticated,
      `Invalid bearer token: ${reason.slice('bearer token: '.length)}.`,
    );
  }
  return new GatewayError(GatewayErrorCode.Unauthenticated, 'Invalid API key.');
}

/** Throws 403 unless the principal holds one of the roles. */
export function requireRole(principal: Principal, roles: readonly string[]): void {
  if (!principal.roles.some((role) => roles.includes(role))) {
    throw new GatewayError(
      GatewayErrorCode.PermissionDenied,
      `The ${roles.join(' or ')} role is required.`,
    );
  }
}
