import { createHash } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { type Principal, PrincipalKind } from '@aigw/contracts';
import { type AuthConfig, type JwtIssuerConfig } from '@aigw/config';

/** A verified token's principal, or why the token was refused (safe to show: no token). */
export type JwtVerification =
  | { readonly ok: true; readonly principal: Principal; readonly expiresAtMs: number }
  | { readonly ok: false; readonly reason: string };

interface TrustedIssuer {
  readonly name: string;
  readonly config: JwtIssuerConfig;
  readonly keys: JWTVerifyGetKey;
}

const maxCachedTokens = 10_000;
const maxGroups = 256;

/** True when a bearer token has the shape of a JWS compact JWT (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/.test(token);
}

/**
 * Verifies bearer JWTs against the issuers in `auth.jwt.issuers`: signature (keys from the
 * issuer's JWKS, fetched and cached), algorithm allow-list (never `none`), `iss`, `aud`, `exp`
 * and `nbf` with the configured clock tolerance. Turns the claims into a principal. Verified
 * tokens are remembered (by hash) until they expire, so a token is checked once per process.
 */
export class JwtVerifier {
  private readonly issuers = new Map<string, TrustedIssuer>();
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(config: AuthConfig['jwt']) {
    for (const [name, issuer] of Object.entries(config.issuers)) {
      const keys = issuer.jwks_url
        ? createRemoteJWKSet(new URL(issuer.jwks_url), {
            cacheMaxAge: issuer.jwks_cache_max_age_s * 1000,
            cooldownDuration: issuer.jwks_refetch_cooldown_s * 1000,
            timeoutDuration: 5_000,
          })
        : createLocalJWKSet(issuer.jwks as JSONWebKeySet);
      this.issuers.set(issuer.issuer, { name, config: issuer, keys });
    }
  }

  get enabled(): boolean {
    return this.issuers.size > 0;
  }

  async verify(token: string, now = Date.now()): Promise<JwtVerification> {
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const remembered = this.verified.get(tokenHash);
    if (remembered && remembered.expiresAtMs > now) {
      return { ok: true, ...remembered };
    }
    if (this.issuers.size === 0) return { ok: false, reason: 'bearer tokens are not accepted' };
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return { ok: false, reason: 'malformed token' };
    }
    const issuer =
      typeof unverified.iss === 'string' ? this.issuers.get(unverified.iss) : undefined;
    if (!issuer) return { ok: false, reason: 'untrusted issuer' };
    const config = issuer.config;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, issuer.keys, {
        issuer: config.issuer,
        audience: config.audiences,
        algorithms: config.algorithms,
        clockTolerance: config.clock_tolerance_s,
        currentDate: new Date(now),
        requiredClaims: config.require_expiry ? ['exp'] : [],
      }));
    } catch (error) {
      return { ok: false, reason: refusalReason(error) };
    }
    const principal = principalFromClaims(issuer.name, config, payload);
    if (typeof principal === 'string') return { ok: false, reason: principal };
    const expiresAtMs =
      typeof payload.exp === 'number'
        ? (payload.exp + config.clock_tolerance_s) * 1000
        : now + 60_000;
    if (this.verified.size >= maxCachedTokens) this.verified.clear();
    this.verified.set(tokenHash, { principal, expiresAtMs });
    return { ok: true, principal, expiresAtMs };
  }
}

/** The principal a verified token names, or a refusal reason when it names none. */
export function principalFromClaims(
  issuerName: string,
  config: JwtIssuerConfig,
  claims: JWTPayload,
): Principal | string {
  const idClaim = claimAt(claims, config.principal_claim);
  if ((typeof idClaim !== 'string' || idClaim === '') && typeof idClaim !== 'number') {
    return `token has no "${config.principal_claim}" claim`;
  }
  const id = `${config.principal_prefix}${String(idClaim)}`.slice(0, 256);
  const groups = stringsAt(claims, config.groups_claim).slice(0, maxGroups);
  const roles: string[] = [];
  if (config.roles) {
    const values = new Set(stringsAt(claims, config.roles.claim));
    if (config.roles.admin.some((value) => values.has(value))) roles.push('admin');
    if (config.roles.analytics.some((value) => values.has(value))) roles.push('analytics');
  }
  const tags: Record<string, string> = {};
  for (const [tag, path] of Object.entries(config.tags)) {
    const value = claimAt(claims, path);
    if (typeof value === 'string' || typeof value === 'number') tags[tag] = String(value);
  }
  tags['auth'] = 'jwt';
  tags['issuer'] = issuerName;
  return {
    id,
    kind: isServiceToken(config, claims)
      ? PrincipalKind.PRINCIPAL_KIND_SERVICE
      : PrincipalKind.PRINCIPAL_KIND_USER,
    groups: [...new Set(groups)],
    roles,
    tags,
  };
}

function isServiceToken(config: JwtIssuerConfig, claims: JWTPayload): boolean {
  const service = config.service;
  if (service.claim && stringsAt(claims, service.claim).some((v) => service.values.includes(v))) {
    return true;
  }
  if (service.sub_is_client) {
    const client = claims['azp'] ?? claims['client_id'];
    return typeof client === 'string' && client !== '' && client === claims.sub;
  }
  return false;
}

/** The value at a dotted path; a claim whose own name contains dots is found first. */
function claimAt(claims: JWTPayload, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** A claim as a list of strings: an array of strings, or one string split on spaces/commas. */
function stringsAt(claims: JWTPayload, path: string): string[] {
  const value = claimAt(claims, path);
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string' && item.length > 0);
  }
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

function refusalReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `claim "${error.claim}" check failed (${error.reason})`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'signature algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no issuer key matches the token';
  if (error instanceof errors.JWKSTimeout) return 'issuer keys could not be fetched (timeout)';
  if (error instanceof errors.JOSEError) return `token invalid (${error.code})`;
  return 'token invalid';
}
