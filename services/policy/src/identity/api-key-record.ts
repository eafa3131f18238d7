import { type ApiKeyInfo, PrincipalKind } from '@aigw/contracts';

/** A gateway key created through the admin API, as stored: the key only as its SHA-256. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly prefix: string;
  readonly sha256: string;
  readonly principal: string;
  readonly kind: 'user' | 'service';
  readonly groups: readonly string[];
  readonly name: string;
  /** RFC 3339. */
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

/** Why a stored key does not authenticate right now, or undefined when it does. */
export function apiKeyRefusal(record: ApiKeyRecord, now: Date): string | undefined {
  if (record.revokedAt) return 'key revoked';
  if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) return 'key expired';
  return undefined;
}

/** The admin API's view of a key: never the key, never its hash. */
export function apiKeyInfo(record: ApiKeyRecord): ApiKeyInfo {
  return {
    id: record.id,
    prefix: record.prefix,
    principal: record.principal,
    kind:
      record.kind === 'service'
        ? PrincipalKind.PRINCIPAL_KIND_SERVICE
        : PrincipalKind.PRINCIPAL_KIND_USER,
    groups: [...record.groups],
    name: record.name,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    expiresAt: record.expiresAt ?? '',
    revokedAt: record.revokedAt ?? '',
  };
}
