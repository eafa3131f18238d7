import { type CompiledConfig } from '@aigw/config';
import { type Logger } from '@aigw/core';
import { type ApiKeyStore } from './api-key-store';
import { FileApiKeyStore } from './file-api-key-store';
import { RedisApiKeyStore } from './redis-api-key-store';

/**
 * The key store the config asks for (`auth.keys.store`): Redis when runtime.redis is set (or
 * `redis` is forced), else a file under runtime.data_dir.
 */
export function createApiKeyStore(config: CompiledConfig, logger: Logger): ApiKeyStore {
  const { store } = config.raw.auth.keys;
  const redis = config.raw.runtime.redis;
  if (store === 'redis' || (store === 'auto' && redis)) {
    if (!redis) throw new Error('auth.keys.store is "redis" but runtime.redis is not set');
    return new RedisApiKeyStore({ url: redis.url, keyPrefix: redis.key_prefix, logger });
  }
  return new FileApiKeyStore(FileApiKeyStore.pathIn(config.raw.runtime.data_dir));
}
