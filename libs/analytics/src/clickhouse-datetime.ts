/**
 * A DateTime64(3, 'UTC') literal, `YYYY-MM-DD hh:mm:ss.sss`: the one text form every ClickHouse
 * version parses with default settings (ISO `T…Z` needs best-effort parsing on some servers).
 */
export function toClickHouseDateTime64(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
