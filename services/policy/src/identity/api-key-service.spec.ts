import { type Envelope, PrincipalKind } from '@aigw/contracts';
import { parseConfig, StaticConfigSource } from '@aigw/config';
import { sha256Hex } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { describe, expect, it } from 'vitest';
import { apiKeyPrefixOf } from './api-key-format';
import { type ApiKeyRecord } from './api-key-record';
import { type ApiKeyStore } from './api-key-store';
import { ApiKeyService } from './api-key-service';
import { IdentityResolver } from './identity-resolver';

/** The store port held in memory, for use-case tests without I/O. */
export class MemoryApiKeyStore implements ApiKeyStore {
  readonly records = new Map<string, ApiKeyRecord>();
  async findBySha256(sha256: string): Promise<ApiKeyRecord | undefined> {
    return [...this.records.values()].find((record) => record.sha256 === sha256);
  }
  async find(idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
    return [...this.records.values()].find(
      (record) => record.id === idOrPrefix || record.prefix === idOrPrefix,
    );
  }
  async list(): Promise<readonly ApiKeyRecord[]> {
    return [...this.records.values()];
  }
  async insert(record: ApiKeyRecord): Promise<void> {
    this.records.set(record.id, record);
  }
  async revoke(id: string, revokedAt: string): Promise<ApiKeyRecord | undefined> {
    const record = this.records.get(id);
    if (!record) return undefined;
    const revoked = { ...record, revokedAt: record.revokedAt ?? revokedAt };
    this.records.set(id, revoked);
    return revoked;
  }
  async close(): Promise<void> {}
}

class CollectingPublisher implements EventPublisher {
  readonly envelopes: Envelope[] = [];
  publish(envelope: Envelope): void {
    this.envelopes.push(envelope);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

const configYaml = (extra = '') => `version: 1
principals:
  alice: { groups: [developers], roles: [admin] }
  ci-bot: { kind: service, groups: [batch] }
${extra}`;

const ops = {
  id: 'ops',
  kind: PrincipalKind.PRINCIPAL_KIND_USER,
  groups: [],
  roles: ['admin'],
  tags: {},
};

function setup(extra = '') {
  const source = new StaticConfigSource(parseConfig(configYaml(extra), 'aigw.yaml', {}));
  const store = new MemoryApiKeyStore();
  const events = new CollectingPublisher();
  const service = new ApiKeyService(source, store, events);
  const identity = new IdentityResolver(source, store);
  return { store, events, service, identity };
}

function createRequest(overrides: Record<string, unknown> = {}) {
  return {
    actor: ops,
    principal: 'dana',
    groups: ['data-eng'],
    service: false,
    expiresInSeconds: 0,
    name: 'notebook',
    requestId: 'req-1',
    traceId: 'trace-1',
    ...overrides,
  };
}

describe('ApiKeyService', () => {
  it('creates a key shown once, stores only its hash, and the key authenticates', async () => {
    const { store, service, identity } = setup();
    const created = await service.create(createRequest());
    expect(created.error).toBe('');
    expect(created.secret).toMatch(/^aigw_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key).toMatchObject({
      prefix: apiKeyPrefixOf(created.secret),
      principal: 'dana',
      kind: PrincipalKind.PRINCIPAL_KIND_USER,
      groups: ['data-eng'],
      createdBy: 'ops',
      expiresAt: '',
      revokedAt: '',
    });
    expect(JSON.stringify([...store.records.values()])).not.toContain(created.secret);
    const who = await identity.authenticate({ credentialSha256: sha256Hex(created.secret) });
    expect(who).toEqual({
      ok: true,
      principal: {
        id: 'dana',
        kind: PrincipalKind.PRINCIPAL_KIND_USER,
        groups: ['data-eng'],
        roles: [],
        tags: { key: created.key!.prefix },
      },
    });
  });

  it('gives a key for a configured principal that principal, its roles and the extra groups', async () => {
    const { service, identity } = setup();
    const created = await service.create(createRequest({ principal: 'alice' }));
    const who = await identity.authenticate({ credentialSha256: sha256Hex(created.secret) });
    expect(who.ok && who.principal).toMatchObject({
      id: 'alice',
      groups: ['developers', 'data-eng'],
      roles: ['admin'],
    });
  });

  it('makes a service principal with --service, and keeps a configured kind', async () => {
    const { service } = setup();
    const etl = await service.create(createRequest({ principal: 'etl', service: true }));
    const bot = await service.create(createRequest({ principal: 'ci-bot' }));
    expect(etl.key?.kind).toBe(PrincipalKind.PRINCIPAL_KIND_SERVICE);
    expect(bot.key?.kind).toBe(PrincipalKind.PRINCIPAL_KIND_SERVICE);
  });

  it('refuses bad input with a reason', async () => {
    const { service, store } = setup();
    expect((await service.create(createRequest({ principal: 'no spaces' }))).error).toContain(
      'principal must be',
    );
    expect((await service.create(createRequest({ groups: ['ok', '../x'] }))).error).toContain(
      'group "../x"',
    );
    expect(
      (await service.create(createRequest({ principal: 'alice', service: true }))).error,
    ).toContain('is a user in the config');
    expect(store.records.size).toBe(0);
  });

  it('enforces auth.keys.max_expiry_days', async () => {
    const { service } = setup('auth: { keys: { max_expiry_days: 30 } }');
    expect((await service.create(createRequest())).error).toBe('keys must expire within 30 days');
    expect((await service.create(createRequest({ expiresInSeconds: 31 * 86_400 }))).error).toBe(
      'expiry is longer than the allowed 30 days',
    );
    const ok = await service.create(createRequest({ expiresInSeconds: 86_400 }));
    expect(ok.error).toBe('');
  });

  it('refuses an expired key and a revoked key, by id or prefix', async () => {
    const { service, identity } = setup();
    const now = new Date('2026-05-01T00:00:00Z');
    const shortLived = await service.create(createRequest({ expiresInSeconds: 60 }), now);
    const later = new Date(now.getTime() + 61_000);
    expect(
      await identity.authenticate({ credentialSha256: sha256Hex(shortLived.secret) }, later),
    ).toEqual({ ok: false, reason: 'key expired' });

    const byId = await service.create(createRequest());
    const byPrefix = await service.create(createRequest());
    await service.revoke({ actor: ops, idOrPrefix: byId.key!.id, requestId: '', traceId: '' });
    await service.revoke({
      actor: ops,
      idOrPrefix: byPrefix.key!.prefix,
      requestId: '',
      traceId: '',
    });
    for (const created of [byId, byPrefix]) {
      expect(await identity.authenticate({ credentialSha256: sha256Hex(created.secret) })).toEqual({
        ok: false,
        reason: 'key revoked',
      });
    }
    expect(
      (
        await service.revoke({
          actor: ops,
          idOrPrefix: 'aigw_00000000',
          requestId: '',
          traceId: '',
        })
      ).key,
    ).toBeUndefined();
  });

  it('lists keys without secrets, revoked ones only on request', async () => {
    const { service } = setup();
    const kept = await service.create(createRequest());
    const gone = await service.create(createRequest());
    await service.revoke({ actor: ops, idOrPrefix: gone.key!.id, requestId: '', traceId: '' });
    const active = await service.list({ includeRevoked: false });
    const all = await service.list({ includeRevoked: true });
    expect(active.keys.map((key) => key.id)).toEqual([kept.key!.id]);
    expect(all.keys).toHaveLength(2);
    expect(JSON.stringify(all)).not.toContain(kept.secret);
  });

  it('audits every create and revoke as key.changed, naming the actor, never the key', async () => {
    const { service, events } = setup();
    const created = await service.create(createRequest());
    await service.revoke({ actor: ops, idOrPrefix: created.key!.id, requestId: 'r2', traceId: '' });
    await service.revoke({ actor: ops, idOrPrefix: created.key!.id, requestId: 'r3', traceId: '' });
    expect(events.envelopes.map((envelope) => envelope.type)).toEqual([
      'key.changed',
      'key.changed',
    ]);
    expect(
      events.envelopes.map((envelope) =>
        envelope.payload?.$case === 'keyChanged' ? envelope.payload.value : undefined,
      ),
    ).toEqual([
      {
        keyId: created.key!.id,
        keyPrefix: created.key!.prefix,
        keyPrincipal: 'dana',
        action: 'created',
        actor: 'ops',
        expiresAt: '',
      },
      expect.objectContaining({ action: 'revoked', actor: 'ops' }),
    ]);
    expect(events.envelopes[0]!.principal?.id).toBe('ops');
    const serialized = JSON.stringify(events.envelopes);
    expect(serialized).not.toContain(created.secret);
    expect(serialized).not.toContain(sha256Hex(created.secret));
  });
});

describe('IdentityResolver with config keys', () => {
  it('still answers config keys first, and unknown keys as unknown', async () => {
    const { identity } = setup(
      `keys:\n  - { sha256: ${sha256Hex('config-key')}, principal: alice }`,
    );
    const known = await identity.authenticate({ credentialSha256: sha256Hex('config-key') });
    expect(known.ok && known.principal.id).toBe('alice');
    expect(await identity.authenticate({ credentialSha256: sha256Hex('nope') })).toEqual({
      ok: false,
      reason: 'unknown or missing key',
    });
    expect(await identity.authenticate({ credentialSha256: '' })).toEqual({
      ok: false,
      reason: 'unknown or missing key',
    });
  });
});
