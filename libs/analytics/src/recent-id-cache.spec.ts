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

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RecentIdCache(0)).toThrow(RangeError);
  });
});
