import { describe, expect, it } from 'vitest';
import { toClickHouseDateTime64 } from './clickhouse-datetime';

// What every timestamp gave before the toISOString() shortcut.
function throughDate(value: string): string {
  return new Date(value).toISOString().replace('T', ' ').replace('Z', '');
}

describe('toClickHouseDateTime64', () => {
  it.each([
    '2025-03-04T05:06:07.089Z',
    '2024-02-29T23:59:59.999Z',
    '2025-03-04T07:06:07.089+02:00',
    '2025-03-04T05:06:07Z',
    '2025-03-04T05:06:07.123456Z',
    '2025-02-30T05:06:07.089Z',
  ])('gives %s the same literal as converting it through Date', (value) => {
    expect(toClickHouseDateTime64(value)).toBe(throughDate(value));
  });

  it('formats a Date in UTC with milliseconds', () => {
    expect(toClickHouseDateTime64(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)))).toBe(
      '2025-01-02 03:04:05.006',
    );
  });
});
