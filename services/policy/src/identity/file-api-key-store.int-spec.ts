import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiKeyRecord } from './api-key-record';
import { FileApiKeyStore } from './file-api-key-store';

function record(id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    prefix: `aigw_${id.padStart(8, '0')}`,
    sha256: id.padStart(64, 'a'),
    principal: 'alice',
    kind: 'user',
    groups: ['data-eng'],
    name: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'ops',
    ...overrides,
  };
}

describe('FileApiKeyStore', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-keys-'));
    path = FileApiKeyStore.pathIn(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds keys by hash, id and prefix, and keeps them across a restart', async () => {
    const store = new FileApiKeyStore(path);
    await store.insert(record('1'));
    await store.insert(record('2', { principal: 'etl', kind: 'service' }));
    const reopened = new FileApiKeyStore(path);
    expect(await reopened.findBySha256(record('1').sha256)).toEqual(record('1'));
    expect((await reopened.find('2'))?.principal).toBe('etl');
    expect((await reopened.find('aigw_00000002'))?.id).toBe('2');
    expect((await reopened.list()).map((key) => key.id)).toEqual(['1', '2']);
    expect(await reopened.findBySha256('f'.repeat(64))).toBeUndefined();
  });

  it('keeps a revocation across a restart, with the first revocation time', async () => {
    const store = new FileApiKeyStore(path);
    await store.insert(record('1'));
    expect((await store.revoke('1', '2026-02-01T00:00:00.000Z'))?.revokedAt).toBe(
      '2026-02-01T00:00:00.000Z',
    );
    expect((await store.revoke('1', '2026-03-01T00:00:00.000Z'))?.revokedAt).toBe(
      '2026-02-01T00:00:00.000Z',
    );
    const reopened = new FileApiKeyStore(path);
    expect((await reopened.findBySha256(record('1').sha256))?.revokedAt).toBe(
      '2026-02-01T00:00:00.000Z',
    );
    expect(await reopened.revoke('missing', '2026-02-01T00:00:00.000Z')).toBeUndefined();
  });

  it('writes only hashes, readable by the owner alone', async () => {
    const store = new FileApiKeyStore(path);
    await store.insert(record('1'));
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, keys: [record('1')] });
  });

  it('refuses a second key with the same prefix', async () => {
    const store = new FileApiKeyStore(path);
    await store.insert(record('1'));
    await expect(store.insert(record('9', { prefix: record('1').prefix }))).rejects.toThrow(
      'already taken',
    );
  });
});
