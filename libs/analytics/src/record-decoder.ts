import { Envelope } from '@aigw/contracts';
import { type ConsumedRecord, decodeEnvelope } from '@aigw/events';
import { utcDateTime } from './clickhouse-datetime';

/** A consumed record decoded: its event and its JSON text, or why it is unusable. */
export type DecodedRecord =
  | { readonly ok: true; readonly envelope: Envelope; readonly json: string }
  | { readonly ok: false; readonly reason: string };

// The 8-4-4-4-12 RFC 9562 form (versions 1-8): a subset of what the header check accepts.
const uuid =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

/**
 * Decodes one consumed record exactly as `decodeEnvelope` does, faster for the usual record:
 * the text is parsed once, and a header that plainly holds (an RFC 9562 event id, a UTC `Z`
 * timestamp, non-empty ids, schema version 1) skips the schema validator. Any other header goes
 * through `decodeEnvelope`, which accepts or rejects it with its reason.
 */
export function decodeRecord(record: ConsumedRecord): DecodedRecord {
  const json = record.value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!hasPlainHeader(parsed)) {
    const decoded = decodeEnvelope(json);
    return decoded.ok ? { ok: true, envelope: decoded.envelope, json } : decoded;
  }
  const envelope = Envelope.fromJSON(parsed);
  if (!envelope.payload) return { ok: false, reason: 'no payload' };
  return { ok: true, envelope, json };
}

function hasPlainHeader(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const header = value as Record<string, unknown>;
  const { eventId, occurredAt } = header;
  return (
    typeof eventId === 'string' &&
    uuid.test(eventId) &&
    nonEmptyString(header['requestId']) &&
    nonEmptyString(header['type']) &&
    typeof occurredAt === 'string' &&
    utcDateTime.test(occurredAt) &&
    nonEmptyString(header['service']) &&
    header['schemaVersion'] === 1
  );
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}
