import { GatewayError, GatewayErrorCode } from '@aigw/core';

/** A reporting window [since, until), in UTC. */
export interface TimeRange {
  readonly since: Date;
  readonly until: Date;
}

const relative = /^(\d{1,5})([mhdw])$/;
const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const maxRangeMs = 3660 * unitMs.d;

/**
 * Reads `since` / `until`: relative (`30m`, `24h`, `7d`, `2w`, counted back from now) or an
 * ISO-8601 time. Defaults: the last 7 days, until now.
 */
export function parseTimeRange(
  since: string | undefined,
  until: string | undefined,
  now: Date = new Date(),
): TimeRange {
  const end = until ? parseTime(until, 'until', now) : now;
  const start = since ? parseTime(since, 'since', now) : new Date(now.getTime() - 7 * unitMs.d);
  if (start.getTime() >= end.getTime()) {
    throw new GatewayError(GatewayErrorCode.InvalidRequest, 'since must be before until', {
      param: 'since',
    });
  }
  if (end.getTime() - start.getTime() > maxRangeMs) {
    throw new GatewayError(GatewayErrorCode.InvalidRequest, 'the time range is at most 10 years', {
      param: 'since',
    });
  }
  return { since: start, until: end };
}

function parseTime(value: string, param: string, now: Date): Date {
  const match = relative.exec(value.trim());
  if (match) {
    const amount = Number(match[1]);
    return new Date(now.getTime() - amount * unitMs[match[2] as keyof typeof unitMs]);
  }
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(parsed.getTime())) {
    throw new GatewayError(
      GatewayErrorCode.InvalidRequest,
      `${param}: use a duration like 30m, 24h, 7d, 2w or an ISO-8601 time`,
      { param },
    );
  }
  return parsed;
}

/** The DateTime64(3) parameter text of a time. */
export function clickHouseTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
