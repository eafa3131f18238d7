/**
 * A valid calendar date `YYYY-MM-DD` (leap years included): the same dates the event header
 * check (zod `iso.datetime`) accepts.
 */
const dateSource =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|' +
  '\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|' +
  '(?:02)-(?:0[1-9]|1\\d|2[0-8])))';

/** A UTC timestamp with seconds, any fraction and `Z` (a subset of what `iso.datetime` accepts). */
export const utcDateTime = new RegExp(
  `^${dateSource}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?Z$`,
);

/** `toISOString()` form: a valid UTC timestamp with milliseconds and `Z`. */
const isoMillis = new RegExp(`^${dateSource}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z$`);

/**
 * A DateTime64(3, 'UTC') literal, `YYYY-MM-DD hh:mm:ss.sss`: the one text form every ClickHouse
 * version parses with default settings (ISO `T…Z` needs best-effort parsing on some servers).
 */
export function toClickHouseDateTime64(value: Date | string): string {
  // Events carry `toISOString()` timestamps: already the literal, but for the `T` and `Z`.
  if (typeof value === 'string' && isoMillis.test(value)) {
    return `${value.slice(0, 10)} ${value.slice(11, 23)}`;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
