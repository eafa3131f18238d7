import { createEnvelope, encodeEnvelope } from '@aigw/events';
import { describe, expect, it, vi } from 'vitest';
import { AnalyticsError, AnalyticsErrorCode } from './analytics-error';
import { AnalyticsSink, type DeadLetterHandler } from './analytics-sink';
import {
  consumedRecord,
  decidedPayload,
  recordsOf,
  requestContext,
  requestEvents,
} from './testing/event-fixtures';
import { InMemoryAnalyticsStore } from './testing/in-memory-analytics-store';

function setup(recentEventIds?: number, eventsPerInsert?: number) {
  const store = new InMemoryAnalyticsStore();
  const deadLetter = vi.fn<DeadLetterHandler>(async () => undefined);
  const sink = new AnalyticsSink({ store, deadLetter, recentEventIds, eventsPerInsert });
  return { store, deadLetter, sink };
}

describe('AnalyticsSink.handleBatch', () => {
  it('inserts every event, audit entry and one request row per finished request', async () => {
    const { store, sink } = setup();
    const records = recordsOf([
      ...requestEvents('a', 'completed'),
      ...requestEvents('b', 'failed'),
    ]);
    const result = await sink.handleBatch(records);
    expect(result).toEqual({
      events: 6,
      requests: 2,
      audit: 2,
      findings: 0,
      payloads: 0,
      duplicates: 0,
      deadLettered: 0,
    });
    expect(store.inserts.map((insert) => insert.table)).toEqual([
      'events',
      'audit_log',
      'requests',
    ]);
    // Before inserting, the sink asks which of the finished requests are already stored.
    expect(store.queries[0]?.params).toEqual({ ids: 'a\nb' });
    expect(store.rowsOf('requests').map((row) => [row['request_id'], row['status']])).toEqual([
      ['a', 200],
      ['b', 504],
    ]);
  });

  it('skips events already seen in the batch or in an earlier batch', async () => {
    const { store, sink } = setup();
    const records = recordsOf(requestEvents('a', 'completed'));
    const first = await sink.handleBatch([...records, ...records]);
    expect(first).toMatchObject({ events: 3, requests: 1, duplicates: 3 });
    const again = await sink.handleBatch(records);
    expect(again).toEqual({
      events: 0,
      requests: 0,
      audit: 0,
      findings: 0,
      payloads: 0,
      duplicates: 3,
      deadLettered: 0,
    });
    expect(store.rowsOf('events')).toHaveLength(3);
    expect(store.inserts).toHaveLength(3);
  });

  it('forgets the oldest ids beyond its capacity (the tables still collapse those copies)', async () => {
    const { store, sink } = setup(2);
    const records = recordsOf(requestEvents('a', 'completed'));
    await sink.handleBatch(records);
    await sink.handleBatch(records.slice(0, 1));
    expect(store.rowsOf('events')).toHaveLength(4);
  });

  it('hands undecodable records to the dead-letter handler with the reason', async () => {
    const { store, deadLetter, sink } = setup();
    const envelope = createEnvelope('policy', requestContext('a'), decidedPayload());
    const noPayload = { ...envelope, payload: undefined };
    const records = [
      consumedRecord('{not json', 7),
      consumedRecord(encodeEnvelope({ ...envelope, eventId: 'nope' }), 8),
      consumedRecord(encodeEnvelope(noPayload), 9),
      consumedRecord(encodeEnvelope(envelope), 10),
    ];
    const result = await sink.handleBatch(records);
    expect(result).toMatchObject({ events: 1, deadLettered: 3 });
    expect(deadLetter.mock.calls.map(([record, reason]) => [record.offset, reason])).toEqual([
      ['7', 'not JSON'],
      ['8', expect.stringContaining('eventId')],
      ['9', 'no payload'],
    ]);
    expect(store.rowsOf('events')).toHaveLength(1);
  });

  it('rejects when an insert fails, and inserts the same events again on redelivery', async () => {
    const { store, deadLetter, sink } = setup();
    const records = [...recordsOf(requestEvents('a', 'completed')), consumedRecord('junk', 99)];
    store.failNextInsertInto = 'requests';
    await expect(sink.handleBatch(records)).rejects.toThrow('insert into requests failed');
    expect(deadLetter).not.toHaveBeenCalled();
    const retried = await sink.handleBatch(records);
    expect(retried).toMatchObject({ events: 3, requests: 1, duplicates: 0, deadLettered: 1 });
  });

  it('inserts a large batch into events in parts, and the rest after all of them', async () => {
    const { store, sink } = setup(undefined, 4);
    const records = recordsOf([
      ...requestEvents('a', 'completed'),
      ...requestEvents('b', 'failed'),
      ...requestEvents('c', 'completed'),
    ]);
    const result = await sink.handleBatch([...records, consumedRecord('junk', 99)]);
    expect(result).toMatchObject({ events: 9, requests: 3, audit: 3, deadLettered: 1 });
    expect(store.inserts.map((insert) => [insert.table, insert.rows.length])).toEqual([
      ['events', 4],
      ['events', 4],
      ['events', 1],
      ['audit_log', 3],
      ['requests', 3],
    ]);
    expect(new Set(store.rowsOf('events').map((row) => row['event_id'])).size).toBe(9);
  });

  it('stores nothing after a failed events part, and everything on redelivery', async () => {
    const { store, sink } = setup(undefined, 2);
    const records = recordsOf([
      ...requestEvents('a', 'completed'),
      ...requestEvents('b', 'failed'),
    ]);
    store.failNextInsertInto = 'events';
    await expect(sink.handleBatch(records)).rejects.toThrow('insert into events failed');
    expect(store.inserts.map((insert) => insert.table)).not.toContain('requests');
    const retried = await sink.handleBatch(records);
    expect(retried).toMatchObject({ events: 6, requests: 2, duplicates: 0 });
  });

  it('rejects when the dead-letter handler fails, so the batch is not committed', async () => {
    const { deadLetter, sink } = setup();
    deadLetter.mockRejectedValueOnce(new Error('dead-letter topic unavailable'));
    await expect(sink.handleBatch([consumedRecord('junk', 1)])).rejects.toThrow(
      'dead-letter topic unavailable',
    );
  });
});

describe('AnalyticsSink.queryReadOnly', () => {
  it('runs an accepted statement read-only and returns its rows', async () => {
    const { store, sink } = setup();
    store.queryResult = [{ n: 1 }];
    await expect(sink.queryReadOnly('SELECT count() AS n FROM requests FINAL;')).resolves.toEqual([
      { n: 1 },
    ]);
    expect(store.queries).toEqual([
      {
        sql: 'SELECT count() AS n FROM requests FINAL',
        params: undefined,
        options: { readOnly: true },
      },
    ]);
  });

  it('refuses anything else before it reaches ClickHouse', async () => {
    const { store, sink } = setup();
    const rejection = sink.queryReadOnly('SELECT 1; DROP TABLE requests');
    await expect(rejection).rejects.toBeInstanceOf(AnalyticsError);
    await expect(rejection).rejects.toMatchObject({ code: AnalyticsErrorCode.QueryRejected });
    expect(store.queries).toEqual([]);
  });
});
