import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialStore, RedisCredentialBackend } from './credential-store';

describe('CredentialStore (AES-256-GCM files)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'aigw-credentials-'));
  const key = randomBytes(32).toString('base64');

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('stores a credential encrypted and reads it back in a new process view', async () => {
    await new CredentialStore(directory, key).put('github', 'alice', 'ghp_alice_secret_token');
    const onDisk = readFileSync(join(directory, 'github.json'), 'utf8');
    expect(onDisk).not.toContain('ghp_alice_secret_token');
    const reopened = new CredentialStore(directory, key);
    expect(await reopened.get('github', 'alice')).toBe('ghp_alice_secret_token');
    expect(await reopened.get('github', 'bob')).toBeUndefined();
  });

  it('does not decrypt under another key, or when copied to another user', async () => {
    expect(
      await new CredentialStore(directory, randomBytes(32).toString('base64')).get(
        'github',
        'alice',
      ),
    ).toBeUndefined();
    const store = new CredentialStore(directory, key);
    const sealed = JSON.parse(readFileSync(join(directory, 'github.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await store.put('github', 'mallory', 'placeholder');
    // Mallory's entry replaced by a copy of alice's sealed value: the AAD binds it to alice.
    writeFileSync(
      join(directory, 'github.json'),
      JSON.stringify({ ...sealed, mallory: sealed['alice'] }),
    );
    expect(await new CredentialStore(directory, key).get('github', 'mallory')).toBeUndefined();
  });
});

describe('CredentialStore in Redis (real Redis, shared by broker replicas)', () => {
  const url = process.env['AIGW_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const keyPrefix = `aigw-test-${process.pid}-${Date.now().toString(36)}:`;
  const key = randomBytes(32).toString('base64');
  const replicas = [
    new CredentialStore(new RedisCredentialBackend(url, keyPrefix), key),
    new CredentialStore(new RedisCredentialBackend(url, keyPrefix), key),
  ] as const;

  afterAll(async () => {
    await Promise.all(replicas.map((store) => store.close()));
    const admin = new Redis(url);
    const keys = await admin.keys(`${keyPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('a credential stored through one replica is used by the other, and only encrypted in Redis', async () => {
    const [first, second] = replicas;
    await first.put('github', 'alice', 'ghp_alice_secret_token');
    expect(await second.get('github', 'alice')).toBe('ghp_alice_secret_token');
    expect(await second.get('github', 'bob')).toBeUndefined();
    expect(await second.get('jira', 'alice')).toBeUndefined();

    const admin = new Redis(url);
    const stored = await admin.hgetall(`${keyPrefix}mcp-credentials:github`);
    admin.disconnect();
    expect(Object.keys(stored)).toEqual(['alice']);
    expect(JSON.stringify(stored)).not.toContain('ghp_alice_secret_token');
  });
});
