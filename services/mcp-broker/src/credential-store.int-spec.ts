import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialStore } from './credential-store';

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
