import { describe, expect, it } from 'vitest';
import { durationText } from './rate-limit-headers';

describe('durationText', () => {
  it.each([
    [0, '0ms'],
    [120, '120ms'],
    [1000, '1s'],
    [7660, '7.66s'],
    [360_000, '6m0s'],
    [3_723_500, '1h2m3.5s'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});
