import { Envelope } from '@aigw/contracts';
import { z } from 'zod';

/** JSON on the wire (proto3 JSON mapping), readable by kcat and ClickHouse. */
export function encodeEnvelope(envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify(Envelope.toJSON(envelope)));
}

// What must hold for an event read back to be usable; the rest is decoded by the generated codec.
const envelopeHeader = z.object({
  eventId: z.uuid(),
  requestId: z.string().min(1),
  type: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  service: z.string().min(1),
  schemaVersion: z.number().int().min(1).max(1),
});

export type DecodeResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly reason: string };

/** Parses one event read back from the log; anything unusable is reported, never thrown. */
export function decodeEnvelope(value: Buffer | string): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const header = envelopeHeader.safeParse(json);
  if (!header.success) {
    const issue = header.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  const envelope = Envelope.fromJSON(json);
  if (!envelope.payload) return { ok: false, reason: 'no payload' };
  return { ok: true, envelope };
}
