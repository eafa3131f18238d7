import { Redis } from 'ioredis';
import { type Logger } from '@aigw/core';
import { type ApiKeyRecord } from './api-key-record';
import { type ApiKeyStore } from './api-key-store';
import { parseApiKeyRecord } from './file-api-key-store';

/** Looks a key up by hash in one round trip: hash → id → [record, revocation time]. */
const findBySha256Script = `
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return false end
return {redis.call('HGET', KEYS[2], id), redis.call('HGET', KEYS[3], id)}`;

/** A cached answer (a record or "no such key") and when it stops being trusted. */
interface CacheEntry {
  readonly record: ApiKeyRecord | undefined;
  readonly until: number;
}

export interface RedisApiKeyStoreOptions {
  readonly url: string;
  /** Prepended to every Redis key (config runtime.redis.key_prefix). */
  readonly keyPrefix: string;
  readonly logger: Logger;
  /** How long a looked-up key is served from memory; a backstop for a lost invalidation. */
  readonly cacheTtlMs?: number;
  readonly cacheMaxEntries?: number;
}

/**
 * Keys in Redis, shared by every policy replica. Lookups are cached in memory briefly; a create
 * or revoke publishes the key's hash on a channel every replica subscribes to, and a replica
 * drops its cached entry at once. While the subscription is down nothing is cached, so a
 * revocation is honoured within the cache TTL (default 500 ms) even if a message is lost.
 */
export class RedisApiKeyStore implements ApiKeyStore {
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly recordsKey: string;
  private readonly bySha256Key: string;
  private readonly byPrefixKey: string;
  /** id → revocation time; kept apart from the immutable record so a revoke is one HSETNX. */
  private readonly revokedKey: string;
  private readonly channel: string;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly cacheTtlMs: number;
  private readonly cacheMaxEntries: number;
  private subscribed = false;
  /** Bumped on every invalidation, so a lookup racing a revocation does not cache stale data. */
  private generation = 0;

  constructor(options: RedisApiKeyStoreOptions) {
    // One hash tag, so every key of the store sits in one slot (scripts work on Redis Cluster).
    const base = `${options.keyPrefix}{api-keys}`;
    this.recordsKey = `${base}:records`;
    this.bySha256Key = `${base}:by-sha256`;
    this.byPrefixKey = `${base}:by-prefix`;
    this.revokedKey = `${base}:revoked`;
    this.channel = `${base}:changed`;
    this.cacheTtlMs = options.cacheTtlMs ?? 500;
    this.cacheMaxEntries = options.cacheMaxEntries ?? 10_000;
    const logger = options.logger;
    this.redis = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.redis.on('error', (error: Error) =>
      logger.warn('redis (api keys) error', { error: error.message }),
    );
    this.subscriber = new Redis(options.url, { lazyConnect: false });
    this.subscriber.on('error', (error: Error) =>
      logger.warn('redis (api key invalidation) error', { error: error.message }),
    );
    this.subscriber.on('message', (_channel: string, sha256: string) => this.invalidate(sha256));
    // Not trusted while reconnecting: serve every lookup from Redis until subscribed again.
    this.subscriber.on('close', () => this.distrust());
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.cache.clear();
          this.subscribed = true;
        },
        (error: unknown) =>
          logger.warn('cannot subscribe to api key invalidations', { error: String(error) }),
      );
    });
  }

  async findBySha256(sha256: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const cached = this.cache.get(sha256);
    if (cached && cached.until > now && this.subscribed) return cached.record;
    const generation = this.generation;
    const found = (await this.redis.eval(
      findBySha256Script,
      3,
      this.bySha256Key,
      this.recordsKey,
      this.revokedKey,
      sha256,
    )) as [string | null, string | null] | null;
    const record = found?.[0] ? withRevocation(found[0], found[1]) : undefined;
    if (this.subscribed && generation === this.generation) {
      if (this.cache.size >= this.cacheMaxEntries) this.cache.clear();
      this.cache.set(sha256, { record, until: now + this.cacheTtlMs });
    }
    return record;
  }

  async find(idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
    const id = (await this.redis.hget(this.byPrefixKey, idOrPrefix)) ?? idOrPrefix;
    const text = await this.redis.hget(this.recordsKey, id);
    if (!text) return undefined;
    return withRevocation(text, await this.redis.hget(this.revokedKey, id));
  }

  async list(): Promise<readonly ApiKeyRecord[]> {
    const [records, revoked] = await Promise.all([
      this.redis.hvals(this.recordsKey),
      this.redis.hgetall(this.revokedKey),
    ]);
    return records.map((text) => {
      const record = parseApiKeyRecord(JSON.parse(text));
      return withRevocation(text, revoked[record.id] ?? null);
    });
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    const taken = await this.redis.hsetnx(this.byPrefixKey, record.prefix, record.id);
    if (taken === 0) throw new Error('key prefix already taken');
    await this.redis
      .multi()
      .hset(this.recordsKey, record.id, JSON.stringify(record))
      .hset(this.bySha256Key, record.sha256, record.id)
      .publish(this.channel, record.sha256)
      .exec();
  }

  async revoke(id: string, revokedAt: string): Promise<ApiKeyRecord | undefined> {
    const text = await this.redis.hget(this.recordsKey, id);
    if (!text) return undefined;
    const record = parseApiKeyRecord(JSON.parse(text));
    const result = await this.redis
      .multi()
      .hsetnx(this.revokedKey, id, revokedAt)
      .publish(this.channel, record.sha256)
      .hget(this.revokedKey, id)
      .exec();
    const stored = result?.[2]?.[1];
    // This replica forgets it at once, whatever the channel does.
    this.invalidate(record.sha256);
    return { ...record, revokedAt: typeof stored === 'string' ? stored : revokedAt };
  }

  async close(): Promise<void> {
    this.subscribed = false;
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private invalidate(sha256: string): void {
    this.generation++;
    this.cache.delete(sha256);
  }

  private distrust(): void {
    this.subscribed = false;
    this.generation++;
    this.cache.clear();
  }
}

function withRevocation(text: string, revokedAt: string | null): ApiKeyRecord {
  const record = parseApiKeyRecord(JSON.parse(text));
  return revokedAt ? { ...record, revokedAt } : record;
}
