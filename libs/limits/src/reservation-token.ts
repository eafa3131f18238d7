import { z } from 'zod';
import { type LimitMetric, type Reservation } from './limit-check';

const metrics = [
  'requests_per_minute',
  'tokens_per_minute',
  'concurrent_requests',
  'usd_per_day',
  'usd_per_month',
] as const satisfies readonly LimitMetric[];

const tokenSchema = z.strictObject({
  i: z.string().min(1).max(64),
  c: z
    .array(
      z.tuple([
        z
          .number()
          .int()
          .min(0)
          .max(metrics.length - 1),
        z.string().min(1).max(600),
        z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      ]),
    )
    .max(64),
});

const version = 'r1.';

/**
 * The reservation as an opaque string the ingress hands back on Settle, so any policy replica
 * can settle it without shared session state.
 */
export function encodeReservation(reservation: Reservation): string {
  const body = {
    i: reservation.id,
    c: reservation.counters.map((counter) => [
      metrics.indexOf(counter.metric),
      counter.key,
      counter.amount,
    ]),
  };
  return version + Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The reservation in a token, or undefined when the token is not one. */
export function decodeReservation(token: string): Reservation | undefined {
  if (!token.startsWith(version) || token.length > 64_000) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token.slice(version.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return {
    id: parsed.data.i,
    counters: parsed.data.c.map(([metric, key, amount]) => ({
      metric: metrics[metric]!,
      key,
      amount,
    })),
  };
}
