import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface SealedCredential {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/**
 * Per-user upstream credentials, encrypted at rest with AES-256-GCM (one file per connection
 * under the data dir). The principal and connection are bound as additional authenticated data,
 * so a sealed value copied to another user does not decrypt.
 */
export class CredentialStore {
  private readonly key: Buffer;
  private readonly cache = new Map<string, Map<string, SealedCredential>>();

  constructor(
    private readonly directory: string,
    keyBase64: string,
  ) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('the credential key must be 32 bytes');
  }

  async put(connection: string, principalId: string, credential: string): Promise<void> {
    const sealed = await this.load(connection);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${connection}\u0000${principalId}`));
    const data = Buffer.concat([cipher.update(credential, 'utf8'), cipher.final()]);
    sealed.set(principalId, {
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    });
    await this.save(connection, sealed);
  }

  /** The stored credential, or undefined when the user stored none (or it does not decrypt). */
  async get(connection: string, principalId: string): Promise<string | undefined> {
    const sealed = (await this.load(connection)).get(principalId);
    if (!sealed) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(`${connection}\u0000${principalId}`));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  private fileOf(connection: string): string {
    return join(this.directory, `${connection}.json`);
  }

  private async load(connection: string): Promise<Map<string, SealedCredential>> {
    const cached = this.cache.get(connection);
    if (cached) return cached;
    let entries: Record<string, SealedCredential> = {};
    try {
      entries = JSON.parse(await readFile(this.fileOf(connection), 'utf8')) as Record<
        string,
        SealedCredential
      >;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const map = new Map(Object.entries(entries));
    this.cache.set(connection, map);
    return map;
  }

  private async save(connection: string, sealed: Map<string, SealedCredential>): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const file = this.fileOf(connection);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(Object.fromEntries(sealed)), { mode: 0o600 });
    await rename(temporary, file);
  }
}
