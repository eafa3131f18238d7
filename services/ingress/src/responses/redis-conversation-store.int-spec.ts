import { Redis } from 'ioredis';
import { createLogger, GatewayError, GatewayErrorCode } from '@aigw/core';
import { freePort } from '@aigw/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisConversationStore } from './redis-conversation-store';

const url = process.env['AIGW_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const keyPrefix = `aigw-test-${process.pid}-${Date.now().toString(36)}:`;
const logger = createLogger({ service: 'test' });
const turn = (text: string): { role: 'user'; content: string } => ({ role: 'user', content: text });

describe('RedisConversationStore (real Redis)', () => {
  const stores: RedisConversationStore[] = [];
  const open = (options: { url?: string; ttlMs?: number; maxBytes?: number } = {}) => {
    const store = new RedisConversationStore({ url, keyPrefix, logger, ...options });
    stores.push(store);
    return store;
  };

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.onModuleDestroy()));
    const admin = new Redis(url);
    const keys = await admin.keys(`${keyPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('gives a conversation saved through one replica to the same principal on another', async () => {
    const [first, second] = [open(), open()];
    await first.save('alice', 'resp_1', [turn('hi'), { role: 'assistant', content: 'hello' }]);
    expect(await second.load('alice', 'resp_1')).toEqual([
      turn('hi'),
      { role: 'assistant', content: 'hello' },
    ]);
    expect(await second.load('bob', 'resp_1')).toBeUndefined();
    expect(await second.load('alice', 'resp_unknown')).toBeUndefined();
  });

  it('forgets a conversation after its TTL and keeps none over the size limit', async () => {
    const store = open({ ttlMs: 50, maxBytes: 200 });
    await store.save('alice', 'resp_short', [turn('hi')]);
    expect(await store.load('alice', 'resp_short')).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.load('alice', 'resp_short')).toBeUndefined();
    await store.save('alice', 'resp_big', [turn('x'.repeat(300))]);
    expect(await store.load('alice', 'resp_big')).toBeUndefined();
  });

  it('without Redis: saving does not throw, loading is a service_unavailable error', async () => {
    const store = open({ url: `redis://127.0.0.1:${await freePort()}` });
    await expect(store.save('alice', 'resp_2', [turn('hi')])).resolves.toBeUndefined();
    const error = await store.load('alice', 'resp_2').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(GatewayErrorCode.ServiceUnavailable);
  });
});
