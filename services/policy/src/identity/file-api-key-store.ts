import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { type ApiKeyRecord } from './api-key-record';
import { type ApiKeyStore } from './api-key-store';

const recordSchema = z.object({
  id: z.string().min(1),
  prefix: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  principal: z.string().min(1),
  kind: z.enum(['user', 'service']),
  groups: z.array(z.string()),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
});
const fileSchema = z.object({ version: z.literal(1), keys: z.array(recordSchema) });

/** Parses a stored key record (from a file or Redis); throws when it is not one. */
export function parseApiKeyRecord(value: unknown): ApiKeyRecord {
  return recordSchema.parse(value);
}

/**
 * Keys in one JSON file (standalone mode), all held in memory. Every change rewrites the file
 * atomically (temp file, fsync, rename), so a crash leaves the old or the new file, never half.
 * One process owns the file.
 */
export class FileApiKeyStore implements ApiKeyStore {
  private readonly bySha256 = new Map<string, ApiKeyRecord>();
  private readonly byId = new Map<string, ApiKeyRecord>();
  private readonly byPrefix = new Map<string, ApiKeyRecord>();

  constructor(private readonly path: string) {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`${path} is not a valid aigw key file`);
      for (const record of parsed.data.keys) this.index(record);
    }
  }

  /** `<data_dir>/keys/api-keys.json`. */
  static pathIn(dataDir: string): string {
    return join(dataDir, 'keys', 'api-keys.json');
  }

  async findBySha256(sha256: string): Promise<ApiKeyRecord | undefined> {
    return this.bySha256.get(sha256);
  }

  async find(idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
    return this.byId.get(idOrPrefix) ?? this.byPrefix.get(idOrPrefix);
  }

  async list(): Promise<readonly ApiKeyRecord[]> {
    return [...this.byId.values()];
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    if (this.byId.has(record.id) || this.byPrefix.has(record.prefix)) {
      throw new Error('key id or prefix already taken');
    }
    this.index(record);
    try {
      this.persist();
    } catch (error) {
      // Not on disk, so not created: a key must never work only until the next restart.
      this.bySha256.delete(record.sha256);
      this.byId.delete(record.id);
      this.byPrefix.delete(record.prefix);
      throw error;
    }
  }

  async revoke(id: string, revokedAt: string): Promise<ApiKeyRecord | undefined> {
    const record = this.byId.get(id);
    if (!record) return undefined;
    if (record.revokedAt) return record;
    const revoked = { ...record, revokedAt };
    // Refused in memory at once, even if the write fails (the error still reaches the caller).
    this.index(revoked);
    this.persist();
    return revoked;
  }

  async close(): Promise<void> {}

  private index(record: ApiKeyRecord): void {
    this.bySha256.set(record.sha256, record);
    this.byId.set(record.id, record);
    this.byPrefix.set(record.prefix, record);
  }

  private persist(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const text = JSON.stringify({ version: 1, keys: [...this.byId.values()] }, null, 2);
    const descriptor = openSync(temporary, 'w', 0o600);
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, this.path);
    const directory = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }
}
