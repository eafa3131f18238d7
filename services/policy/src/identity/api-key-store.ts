import { type ApiKeyRecord } from './api-key-record';

/**
 * Where created gateway keys live. Adapters: a file under runtime.data_dir (standalone, one
 * process) and Redis (cluster, shared by every policy replica). Lookups by hash are on the hot
 * path, so adapters answer them from memory where they can.
 */
export interface ApiKeyStore {
  /** The key with this SHA-256, revoked and expired ones included. */
  findBySha256(sha256: string): Promise<ApiKeyRecord | undefined>;
  /** The key with this id or prefix. */
  find(idOrPrefix: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<readonly ApiKeyRecord[]>;
  insert(record: ApiKeyRecord): Promise<void>;
  /** Marks the key revoked (keeps the first revocation time); undefined when there is none. */
  revoke(id: string, revokedAt: string): Promise<ApiKeyRecord | undefined>;
  close(): Promise<void>;
}
