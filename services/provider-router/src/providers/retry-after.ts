/**
 * How long a provider asked the client to wait, in ms, from its response headers:
 * `retry-after-ms` (OpenAI, Azure) or `Retry-After` as delta-seconds or an HTTP date.
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  nowMs: number = Date.now(),
): number | undefined {
  const milliseconds = numeric(first(headers['retry-after-ms']));
  if (milliseconds !== undefined) return Math.ceil(milliseconds);
  const value = first(headers['retry-after'])?.trim();
  if (!value) return undefined;
  const seconds = numeric(value);
  if (seconds !== undefined) return Math.ceil(seconds * 1000);
  // An HTTP date names a weekday and a GMT time, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function numeric(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
