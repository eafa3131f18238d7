import { describe, expect, it } from 'vitest';
import { ResponseConversationStore } from './response-conversation-store';

const turn = (text: string): { role: 'user'; content: string } => ({ role: 'user', content: text });

describe('ResponseConversationStore', () => {
  it('gives a conversation back to the principal that stored it, as a copy', () => {
    const store = new ResponseConversationStore();
    store.save('alice', 'resp_1', [turn('hi')]);
    const loaded = store.load('alice', 'resp_1');
    expect(loaded).toEqual([turn('hi')]);
    loaded!.push(turn('changed'));
    expect(store.load('alice', 'resp_1')).toEqual([turn('hi')]);
    expect(store.load('bob', 'resp_1')).toBeUndefined();
    expect(store.load('alice', 'resp_2')).toBeUndefined();
  });

  it('forgets a conversation after its TTL', () => {
    let now = 0;
    const store = new ResponseConversationStore({ ttlMs: 1_000, now: () => now });
    store.save('alice', 'resp_1', [turn('hi')]);
    now = 999;
    expect(store.load('alice', 'resp_1')).toBeDefined();
    now = 2_000;
    expect(store.load('alice', 'resp_1')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('evicts the least recently used beyond its entry and byte limits', () => {
    const store = new ResponseConversationStore({ maxEntries: 2 });
    store.save('alice', 'a', [turn('1')]);
    store.save('alice', 'b', [turn('2')]);
    store.load('alice', 'a');
    store.save('alice', 'c', [turn('3')]);
    expect(store.load('alice', 'b')).toBeUndefined();
    expect(store.load('alice', 'a')).toBeDefined();
    expect(store.load('alice', 'c')).toBeDefined();

    const small = new ResponseConversationStore({ maxBytes: 100 });
    small.save('alice', 'x', [turn('x'.repeat(60))]);
    small.save('alice', 'y', [turn('y'.repeat(60))]);
    expect(small.load('alice', 'x')).toBeUndefined();
    expect(small.load('alice', 'y')).toBeDefined();
    small.save('alice', 'z', [turn('z'.repeat(200))]);
    expect(small.load('alice', 'z')).toBeUndefined();
  });
});
