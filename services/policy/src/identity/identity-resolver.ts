import { type Principal, PrincipalKind } from '@aigw/contracts';
import { type AuthConfig, type ConfigSource } from '@aigw/config';
import { apiKeyRefusal, type ApiKeyRecord } from './api-key-record';
import { type ApiKeyStore } from './api-key-store';
import { JwtVerifier, looksLikeJwt } from './jwt-verifier';

/** What a caller presented: a gateway key's SHA-256, or a bearer JWT (never logged). */
export interface PresentedCredential {
  readonly credentialSha256: string;
  readonly bearerToken?: string;
}

/** Who the caller is, or why they are not recognised (a reason safe to show and record). */
export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: string };

export const unknownKeyReason = 'unknown or missing key';

/**
 * Turns a presented credential into the one principal object that flows into every event and
 * downstream call. Gateway keys: the config's `keys:` first (a map hit), then keys created
 * through the admin API (the key store). Bearer JWTs: verified against `auth.jwt.issuers`.
 */
export class IdentityResolver {
  private jwt: { readonly config: AuthConfig['jwt']; readonly verifier: JwtVerifier } | undefined;

  constructor(
    private readonly config: ConfigSource,
    private readonly keys: ApiKeyStore,
  ) {}

  async authenticate(credential: PresentedCredential, now = new Date()): Promise<Authentication> {
    const config = this.config.current();
    const token = credential.bearerToken ?? '';
    if (token !== '' && looksLikeJwt(token)) {
      const verifier = this.verifierFor(config.raw.auth.jwt);
      if (verifier.enabled) {
        const verification = await verifier.verify(token, now.getTime());
        if (!verification.ok) return { ok: false, reason: `bearer token: ${verification.reason}` };
        return { ok: true, principal: withConfigured(verification.principal, config.principals) };
      }
    }
    if (!credential.credentialSha256) return { ok: false, reason: unknownKeyReason };
    const configured = config.principalsByKeyHash.get(credential.credentialSha256);
    if (configured) return { ok: true, principal: configured };
    const record = await this.keys.findBySha256(credential.credentialSha256);
    if (!record) return { ok: false, reason: unknownKeyReason };
    const refusal = apiKeyRefusal(record, now);
    if (refusal) return { ok: false, reason: refusal };
    return { ok: true, principal: principalOfKey(record, config.principals) };
  }

  /** One verifier per `auth.jwt` section: rebuilt when a reload changes it, kept otherwise. */
  private verifierFor(config: AuthConfig['jwt']): JwtVerifier {
    if (this.jwt?.config !== config) {
      this.jwt =
        this.jwt && sameJson(this.jwt.config, config)
          ? { config, verifier: this.jwt.verifier }
          : { config, verifier: new JwtVerifier(config) };
    }
    return this.jwt.verifier;
  }
}

/**
 * A created key's principal: the configured principal of that id with the key's extra groups,
 * or, for an id not in config, a principal of its own with the key's kind and groups (no roles:
 * roles are granted in config only).
 */
export function principalOfKey(
  record: ApiKeyRecord,
  principals: ReadonlyMap<string, Principal>,
): Principal {
  const configured = principals.get(record.principal);
  const tags = { ...(configured?.tags ?? {}), key: record.prefix };
  if (configured) {
    return {
      ...configured,
      groups: [...new Set([...configured.groups, ...record.groups])],
      tags,
    };
  }
  return {
    id: record.principal,
    kind:
      record.kind === 'service'
        ? PrincipalKind.PRINCIPAL_KIND_SERVICE
        : PrincipalKind.PRINCIPAL_KIND_USER,
    groups: [...record.groups],
    roles: [],
    tags,
  };
}

/** A token's principal joined with the configured principal of the same id, if there is one. */
function withConfigured(
  principal: Principal,
  principals: ReadonlyMap<string, Principal>,
): Principal {
  const configured = principals.get(principal.id);
  if (!configured) return principal;
  return {
    id: principal.id,
    kind:
      configured.kind === PrincipalKind.PRINCIPAL_KIND_SERVICE ? configured.kind : principal.kind,
    groups: [...new Set([...configured.groups, ...principal.groups])],
    roles: [...new Set([...configured.roles, ...principal.roles])],
    tags: { ...configured.tags, ...principal.tags },
  };
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
