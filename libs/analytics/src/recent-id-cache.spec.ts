import { describe, expect, it } from 'vitest';
import { RecentIdCache } from './recent-id-cache';

describe('RecentIdCache', () => {
  it('forgets the least recently used id beyond its capacity', () => {
    const cache = new RecentIdCache(2);
    cache.add('a');
    cache.add('b');
    expect(cache.has('a')).toBe(true); // now b is the least recently used
    cache.add('c');
    expect(cache.size).toBe(2);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('c')).toBe(true);
  });

  it('keeps exactly the most recently used ids over many evictions', () => {
    const cache = new RecentIdCache(1_000);
    for (let id = 0; id < 20_000; id += 1) {
      cache.add(String(id));
      // Used again and again: never the least recently used one.
      expect(cache.has('0')).toBe(true);
    }
    expect(cache.size).toBe(1_000);
    expect(cache.has('18999')).toBe(false);
    for (let id = 19_001; id < 20_000; id += 1) expect(cache.has(String(id))).toBe(true);
    expect(cache.has('19000')).toBe(false);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RecentIdCache(0)).toThrow(RangeError);
  });
});
