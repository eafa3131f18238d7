import { Redis } from 'ioredis';
import { createLogger } from '@aigw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiKeyRecord } from './api-key-record';
import { RedisApiKeyStore } from './redis-api-key-store';

const url = process.env['AIGW_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const keyPrefix = `aigw-test-${process.pid}-${Date.now().toString(36)}:`;

function record(id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    prefix: `aigw_${id.padStart(8, '0')}`,
    sha256: id.padStart(64, 'b'),
    principal: 'alice',
    kind: 'user',
    groups: [],
    name: 'ci',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'ops',
    ...overrides,
  };
}

/** Polls until check() is true, failing after 5 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RedisApiKeyStore (real Redis)', () => {
  const logger = createLogger({ service: 'test' });
  let first: RedisApiKeyStore;
  let second: RedisApiKeyStore;
  let admin: Redis;

  beforeAll(async () => {
    admin = new Redis(url);
    await admin.ping();
    // A long cache TTL: only the invalidation message can make the second replica see a change.
    first = new RedisApiKeyStore({ url, keyPrefix, logger, cacheTtlMs: 60_000 });
    second = new RedisApiKeyStore({ url, keyPrefix, logger, cacheTtlMs: 60_000 });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    const keys = await admin.keys(`${keyPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('shares keys between replicas, by hash, id and prefix', async () => {
    await first.insert(record('1', { groups: ['data-eng'] }));
    expect(await second.findBySha256(record('1').sha256)).toEqual(
      record('1', { groups: ['data-eng'] }),
    );
    expect((await second.find('1'))?.prefix).toBe(record('1').prefix);
    expect((await second.find(record('1').prefix))?.id).toBe('1');
    expect(await second.findBySha256('c'.repeat(64))).toBeUndefined();
  });

  it('lets every replica see a revocation through the invalidation channel, despite its cache', async () => {
    await first.insert(record('2'));
    // Subscribed and cached on the second replica.
    await until(async () => (await second.findBySha256(record('2').sha256)) !== undefined);
    expect((await second.findBySha256(record('2').sha256))?.revokedAt).toBeUndefined();
    await first.revoke('2', '2026-02-02T00:00:00.000Z');
    await until(
      async () => (await second.findBySha256(record('2').sha256))?.revokedAt !== undefined,
    );
    expect((await second.findBySha256(record('2').sha256))?.revokedAt).toBe(
      '2026-02-02T00:00:00.000Z',
    );
  });

  it('keeps the first revocation time and lists revoked keys with it', async () => {
    await first.insert(record('3'));
    await first.revoke('3', '2026-03-01T00:00:00.000Z');
    const again = await second.revoke('3', '2026-04-01T00:00:00.000Z');
    expect(again?.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    const listed = await second.list();
    expect(listed.find((key) => key.id === '3')?.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(await first.revoke('missing', '2026-04-01T00:00:00.000Z')).toBeUndefined();
  });

  it('never stores the key, only its hash', async () => {
    const stored = await admin.hget(`${keyPrefix}{api-keys}:records`, '1');
    expect(JSON.parse(stored!)).toMatchObject({ sha256: record('1').sha256 });
    expect(stored).not.toContain('"key"');
  });

  it('refuses a second key with the same prefix', async () => {
    await expect(second.insert(record('4', { prefix: record('1').prefix }))).rejects.toThrow(
      'already taken',
    );
  });
});
