import { Envelope } from '@aigw/contracts';
import { createEnvelope, decodeEnvelope } from '@aigw/events';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from './record-decoder';
import { consumedRecord, decidedPayload, requestContext } from './testing/event-fixtures';

const envelope = createEnvelope(
  'policy',
  requestContext('req-1'),
  decidedPayload(),
  new Date('2025-03-04T05:06:07.089Z'),
);
const json = Envelope.toJSON(envelope) as Record<string, unknown>;

function variant(changes: Record<string, unknown>): string {
  return JSON.stringify({ ...json, ...changes });
}

describe('decodeRecord', () => {
  it('decodes an event as decodeEnvelope does and keeps the text as read', () => {
    const text = variant({});
    const decoded = decodeRecord(consumedRecord(text, 1));
    expect(decoded).toEqual({ ok: true, envelope, json: text });
  });

  it.each([
    ['not JSON', '{"eventId":'],
    ['a JSON array', '[1,2]'],
    ['an event id that is no UUID', variant({ eventId: 'nope' })],
    ['the nil UUID', variant({ eventId: '00000000-0000-0000-0000-000000000000' })],
    ['an upper-case UUID', variant({ eventId: 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D' })],
    ['an empty request id', variant({ requestId: '' })],
    ['a numeric request id', variant({ requestId: 7 })],
    ['a missing type', variant({ type: undefined })],
    ['a timestamp with an offset', variant({ occurredAt: '2025-03-04T07:06:07.089+02:00' })],
    ['a timestamp without seconds', variant({ occurredAt: '2025-03-04T05:06Z' })],
    ['an impossible date', variant({ occurredAt: '2025-02-30T05:06:07.089Z' })],
    ['a leap day', variant({ occurredAt: '2024-02-29T05:06:07Z' })],
    ['a schema version it does not know', variant({ schemaVersion: 2 })],
    ['no payload', variant({ policyDecided: undefined })],
  ])('accepts or refuses %s exactly as decodeEnvelope does', (_, text) => {
    const expected = decodeEnvelope(text);
    const decoded = decodeRecord(consumedRecord(text, 1));
    expect(decoded).toEqual(expected.ok ? { ...expected, json: text } : expected);
  });
});
