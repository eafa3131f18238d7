import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** One credential as stored: AES-256-GCM ciphertext, never the credential itself. */
export interface SealedCredential {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/** Where sealed credentials are kept, per connection and principal. */
export interface SealedCredentialBackend {
  put(connection: string, principalId: string, sealed: SealedCredential): Promise<void>;
  get(connection: string, principalId: string): Promise<SealedCredential | undefined>;
  close?(): Promise<void>;
}

/**
 * Per-user upstream credentials, encrypted at rest with AES-256-GCM: in files under the data
 * dir (one per connection; standalone) or in Redis, shared by every broker replica (cluster).
 * The principal and connection are bound as additional authenticated data, so a sealed value
 * copied to another user does not decrypt.
 */
export class CredentialStore {
  private readonly key: Buffer;
  private readonly backend: SealedCredentialBackend;

  /** `storage`: a directory for credential files, or another backend (e.g. Redis). */
  constructor(storage: string | SealedCredentialBackend, keyBase64: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('the credential key must be 32 bytes');
    this.backend = typeof storage === 'string' ? new FileCredentialBackend(storage) : storage;
  }

  async put(connection: string, principalId: string, credential: string): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${connection}\u0000${principalId}`));
    const data = Buffer.concat([cipher.update(credential, 'utf8'), cipher.final()]);
    await this.backend.put(connection, principalId, {
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    });
  }

  /** The stored credential, or undefined when the user stored none (or it does not decrypt). */
  async get(connection: string, principalId: string): Promise<string | undefined> {
    const sealed = await this.backend.get(connection, principalId);
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

  async close(): Promise<void> {
    await this.backend.close?.();
  }
}

/** Sealed credentials in one JSON file per connection (mode 0600, written atomically). */
export class FileCredentialBackend implements SealedCredentialBackend {
  private readonly cache = new Map<string, Map<string, SealedCredential>>();

  constructor(private readonly directory: string) {}

  async put(connection: string, principalId: string, sealed: SealedCredential): Promise<void> {
    const entries = await this.load(connection);
    entries.set(principalId, sealed);
    await this.save(connection, entries);
  }

  async get(connection: string, principalId: string): Promise<SealedCredential | undefined> {
    return (await this.load(connection)).get(principalId);
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

/** Sealed credentials in Redis: one hash per connection, a field per principal. */
export class RedisCredentialBackend implements SealedCredentialBackend {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly keyPrefix: string,
    commandTimeoutMs = 1000,
  ) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      commandTimeout: commandTimeoutMs,
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    });
    // Connection errors surface per command; without a listener ioredis would log each retry.
    this.redis.on('error', () => undefined);
  }

  async put(connection: string, principalId: string, sealed: SealedCredential): Promise<void> {
    await this.redis.hset(this.keyOf(connection), principalId, JSON.stringify(sealed));
  }

  async get(connection: string, principalId: string): Promise<SealedCredential | undefined> {
    const json = await this.redis.hget(this.keyOf(connection), principalId);
    return json === null ? undefined : (JSON.parse(json) as SealedCredential);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private keyOf(connection: string): string {
    return `${this.keyPrefix}mcp-credentials:${connection}`;
  }
}
