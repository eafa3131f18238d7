import {
  type CreateKeyRequest,
  type CreateKeyResponse,
  type ListKeysRequest,
  type ListKeysResponse,
  type Principal,
  PrincipalKind,
  type RevokeKeyRequest,
  type RevokeKeyResponse,
} from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';
import { sha256Hex, uuidv7 } from '@aigw/core';
import { createEnvelope, type EventPayload, type EventPublisher } from '@aigw/events';
import { generateApiKey } from './api-key-format';
import { apiKeyInfo, type ApiKeyRecord } from './api-key-record';
import { type ApiKeyStore } from './api-key-store';

const serviceName = 'policy';
const principalName = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/;
const maxGroups = 64;

/**
 * Creates, lists and revokes gateway keys (the admin API's use cases). A key is shown once, at
 * creation; the store keeps its SHA-256. Every change is an audit event (`key.changed`).
 */
export class ApiKeyService {
  constructor(
    private readonly config: ConfigSource,
    private readonly store: ApiKeyStore,
    private readonly events: EventPublisher,
  ) {}

  async create(request: CreateKeyRequest, now = new Date()): Promise<CreateKeyResponse> {
    const problem = this.problemWith(request);
    if (problem) return { key: undefined, secret: '', error: problem };
    const configured = this.config.current().principals.get(request.principal);
    const { key, prefix } = generateApiKey();
    const record: ApiKeyRecord = {
      id: uuidv7(now.getTime()),
      prefix,
      sha256: sha256Hex(key),
      principal: request.principal,
      kind: (
        configured ? configured.kind === PrincipalKind.PRINCIPAL_KIND_SERVICE : request.service
      )
        ? 'service'
        : 'user',
      groups: [...new Set(request.groups)],
      name: request.name.slice(0, 200),
      createdAt: now.toISOString(),
      createdBy: request.actor?.id ?? '',
      ...(request.expiresInSeconds > 0
        ? { expiresAt: new Date(now.getTime() + request.expiresInSeconds * 1000).toISOString() }
        : {}),
    };
    await this.store.insert(record);
    this.audit(request, record, 'created');
    return { key: apiKeyInfo(record), secret: key, error: '' };
  }

  async list(request: ListKeysRequest): Promise<ListKeysResponse> {
    const records = await this.store.list();
    return {
      keys: records
        .filter((record) => request.includeRevoked || !record.revokedAt)
        .sort((left, right) => left.createdAt.localeCompare(right.createdAt))
        .map(apiKeyInfo),
    };
  }

  async revoke(request: RevokeKeyRequest, now = new Date()): Promise<RevokeKeyResponse> {
    const found = request.idOrPrefix ? await this.store.find(request.idOrPrefix) : undefined;
    if (!found) return { key: undefined };
    const wasRevoked = Boolean(found.revokedAt);
    const revoked = await this.store.revoke(found.id, now.toISOString());
    if (!revoked) return { key: undefined };
    if (!wasRevoked) this.audit(request, revoked, 'revoked');
    return { key: apiKeyInfo(revoked) };
  }

  private problemWith(request: CreateKeyRequest): string | undefined {
    if (!principalName.test(request.principal)) {
      return 'principal must be 1-63 letters, digits, ".", "_" or "-"';
    }
    if (request.groups.length > maxGroups) return `at most ${maxGroups} groups`;
    const badGroup = request.groups.find((group) => !principalName.test(group));
    if (badGroup !== undefined) {
      return `group "${badGroup.slice(0, 64)}" must be 1-63 letters, digits, ".", "_" or "-"`;
    }
    const configured = this.config.current().principals.get(request.principal);
    if (configured && request.service && configured.kind !== PrincipalKind.PRINCIPAL_KIND_SERVICE) {
      return `principal "${request.principal}" is a user in the config; its kind comes from there`;
    }
    const maxDays = this.config.current().raw.auth.keys.max_expiry_days;
    if (maxDays > 0) {
      if (request.expiresInSeconds === 0) return `keys must expire within ${maxDays} days`;
      if (request.expiresInSeconds > maxDays * 86_400) {
        return `expiry is longer than the allowed ${maxDays} days`;
      }
    }
    return undefined;
  }

  private audit(
    request: { actor?: Principal | undefined; requestId: string; traceId: string },
    record: ApiKeyRecord,
    action: 'created' | 'revoked',
  ): void {
    const payload: EventPayload = {
      $case: 'keyChanged',
      value: {
        keyId: record.id,
        keyPrefix: record.prefix,
        keyPrincipal: record.principal,
        action,
        actor: request.actor?.id ?? '',
        expiresAt: record.expiresAt ?? '',
      },
    };
    this.events.publish(
      createEnvelope(
        serviceName,
        {
          requestId: request.requestId || uuidv7(),
          traceId: request.traceId,
          principal: request.actor,
          endpoint: '',
          tags: {},
        },
        payload,
      ),
    );
  }
}
