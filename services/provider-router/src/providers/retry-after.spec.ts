import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after';

const now = Date.parse('2025-08-15T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds, including fractions', () => {
    expect(parseRetryAfter({ 'retry-after': '7' }, now)).toBe(7_000);
    expect(parseRetryAfter({ 'retry-after': ' 0.25 ' }, now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': '0' }, now)).toBe(0);
  });

  it('reads an HTTP date as the time left until then, never negative', () => {
    expect(parseRetryAfter({ 'retry-after': 'Fri, 15 Aug 2025 12:00:03 GMT' }, now)).toBe(3_000);
    expect(parseRetryAfter({ 'retry-after': 'Fri, 15 Aug 2025 11:59:00 GMT' }, now)).toBe(0);
  });

  it('prefers the millisecond header OpenAI and Azure send', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '1500', 'retry-after': '2' }, now)).toBe(1_500);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter({ 'retry-after': ['3', '9'] }, now)).toBe(3_000);
  });

  it.each([
    {},
    { 'retry-after': '' },
    { 'retry-after': '-1' },
    { 'retry-after': 'soon' },
    { 'retry-after': '1e3' },
  ])('ignores %j', (headers) => {
    expect(parseRetryAfter(headers, now)).toBeUndefined();
  });
});
