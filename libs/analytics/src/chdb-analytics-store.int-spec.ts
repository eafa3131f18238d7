import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalyticsErrorCode } from './analytics-error';
import { AnalyticsSink, type DeadLetterHandler } from './analytics-sink';
import { createAnalyticsStore } from './analytics-store-factory';
import { ChdbAnalyticsStore } from './chdb-analytics-store';
import { runMigrations } from './migration-runner';
import { analyticsMigrations } from './migrations/analytics-migrations';
import { consumedRecord, recordsOf, requestEvents } from './testing/event-fixtures';

// Real embedded ClickHouse (chDB) in a temp dir. chDB allows one open data directory per
// process, so every test here shares it and reopens it only after closing.
describe('ChdbAnalyticsStore (real chDB)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aigw-analytics-'));
  let store: ChdbAnalyticsStore;

  const batch = [
    ...recordsOf(requestEvents('req-ok', 'completed'), 0),
    ...recordsOf(requestEvents('req-bad', 'failed', new Date('2025-03-04T05:07:00.000Z')), 3),
    consumedRecord('{"eventId": "truncated', 6, 'req-x'),
  ];

  beforeAll(async () => {
    store = (await createAnalyticsStore({ mode: 'embedded' }, dataDir)) as ChdbAnalyticsStore;
  });

  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its data under <dataDir>/clickhouse by default', () => {
    expect(store.path).toBe(join(dataDir, 'clickhouse'));
  });

  it('applies the migrations once; a rerun applies nothing', async () => {
    await expect(runMigrations(store)).resolves.toEqual(
      analyticsMigrations.map((migration) => migration.version),
    );
    await expect(runMigrations(store)).resolves.toEqual([]);
    const applied = await store.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations FINAL ORDER BY version',
    );
    expect(applied).toEqual(analyticsMigrations.map(({ version, name }) => ({ version, name })));
  });

  it('builds events and requests rows from a batch, and dead-letters the malformed record', async () => {
    const deadLetter = vi.fn<DeadLetterHandler>(async () => undefined);
    const sink = new AnalyticsSink({ store, deadLetter });
    await expect(sink.handleBatch(batch)).resolves.toEqual({
      events: 6,
      requests: 2,
      audit: 2,
      findings: 0,
      payloads: 0,
      duplicates: 0,
      deadLettered: 1,
    });
    expect(deadLetter).toHaveBeenCalledTimes(1);
    expect(deadLetter.mock.calls[0]![0].offset).toBe('6');
    expect(deadLetter.mock.calls[0]![1]).toBe('not JSON');

    const events = await store.query(
      `SELECT toString(event_id) AS event_id, request_id, type, toString(occurred_at) AS occurred_at,
              service, principal_id, principal_kind, groups, endpoint, tags,
              JSONExtractString(payload, 'requestId') AS payload_request_id
       FROM events FINAL WHERE request_id = 'req-ok' ORDER BY occurred_at`,
    );
    expect(events.map((row) => row['type'])).toEqual([
      'request.received',
      'policy.decided',
      'request.completed',
    ]);
    expect(events[2]).toMatchObject({
      occurred_at: '2025-03-04 05:06:07.043',
      service: 'ingress',
      principal_id: 'alice',
      principal_kind: 'user',
      groups: ['eng', 'finops'],
      endpoint: 'chat',
      tags: { team: 'search' },
      payload_request_id: 'req-ok',
    });

    const requests = await store.query(
      `SELECT request_id, toString(time) AS time, principal_id, groups, endpoint, tags, provider,
              model, stream, attempts, status, error_code, prompt_tokens, completion_tokens,
              cached_tokens, total_tokens, toString(cost_usd) AS cost_usd, latency_ms, ttft_ms,
              operation
       FROM requests FINAL ORDER BY request_id`,
    );
    expect(requests).toEqual([
      {
        request_id: 'req-bad',
        time: '2025-03-04 05:07:00.043',
        principal_id: 'alice',
        groups: ['eng', 'finops'],
        endpoint: 'chat',
        tags: { team: 'search' },
        provider: 'mock',
        model: 'gpt-mock',
        stream: false,
        attempts: 3,
        status: 504,
        error_code: 'upstream_timeout',
        prompt_tokens: 0,
        completion_tokens: 0,
        cached_tokens: 0,
        total_tokens: 0,
        cost_usd: null,
        latency_ms: 30000,
        ttft_ms: 0,
        operation: 'chat.completions',
      },
      {
        request_id: 'req-ok',
        time: '2025-03-04 05:06:07.043',
        principal_id: 'alice',
        groups: ['eng', 'finops'],
        endpoint: 'chat',
        tags: { team: 'search' },
        provider: 'mock',
        model: 'gpt-mock',
        stream: true,
        attempts: 2,
        status: 200,
        error_code: '',
        prompt_tokens: 12,
        completion_tokens: 30,
        cached_tokens: 4,
        total_tokens: 42,
        cost_usd: '0.00012345',
        latency_ms: 42.5,
        ttft_ms: 10.25,
        operation: 'chat.completions',
      },
    ]);
  });

  it('counts a redelivered batch once, even after the in-memory dedupe is gone', async () => {
    // A new sink = a restarted consumer: its recent-id cache is empty, so the events are
    // physically inserted again and the ReplacingMergeTree tables must collapse them; the
    // request rows are already stored, so they are not inserted again (the rollups count once).
    const sink = new AnalyticsSink({ store, deadLetter: async () => undefined });
    await expect(sink.handleBatch(batch)).resolves.toMatchObject({ events: 6, requests: 0 });
    await expect(sink.handleBatch(batch)).resolves.toMatchObject({ events: 0, duplicates: 6 });

    const [physical] = await store.query<{ n: number }>('SELECT count() AS n FROM requests');
    expect(physical!.n).toBe(2);
    await expect(
      store.query("SELECT toUInt32(sum(requests)) AS n FROM cost_daily WHERE dimension = 'all'"),
    ).resolves.toEqual([{ n: 2 }]);
    await expect(store.query('SELECT count() AS n FROM requests FINAL')).resolves.toEqual([
      { n: 2 },
    ]);
    await expect(store.query('SELECT count() AS n FROM events FINAL')).resolves.toEqual([{ n: 6 }]);
    const perRequest = await store.query(
      'SELECT request_id, count() AS n FROM requests FINAL GROUP BY request_id ORDER BY request_id',
    );
    expect(perRequest).toEqual([
      { request_id: 'req-bad', n: 1 },
      { request_id: 'req-ok', n: 1 },
    ]);
  });

  it('inserts any string content verbatim and binds query parameters server-side', async () => {
    await store.execute('CREATE TABLE IF NOT EXISTS strings (id UInt32, s String) ENGINE = Memory');
    const nasty = [
      "it's",
      'quote " backslash \\ ',
      'new\nline\r\ttab',
      "'); DROP TABLE events; --",
      'nul \u0000 byte',
      'unicode ✓ 🚀 \u2028',
    ];
    await store.insertJsonRows(
      'strings',
      nasty.map((s, id) => ({ id, s })),
    );
    const rows = await store.query<{ s: string }>('SELECT s FROM strings ORDER BY id');
    expect(rows.map((row) => row.s)).toEqual(nasty);
    await expect(
      store.query('SELECT id FROM strings WHERE s = {s:String} AND id < {max:UInt32}', {
        s: nasty[3]!,
        max: 10,
      }),
    ).resolves.toEqual([{ id: 3 }]);
    await store.execute('DROP TABLE strings');
  });

  it('enforces readonly = 1 in the engine for read-only queries', async () => {
    await expect(
      store.query("SELECT * FROM file('/etc/hostname', 'LineAsString')", undefined, {
        readOnly: true,
      }),
    ).rejects.toMatchObject({ code: AnalyticsErrorCode.StoreFailed });
    const sink = new AnalyticsSink({ store, deadLetter: async () => undefined });
    await expect(
      sink.queryReadOnly('SELECT count() AS n FROM requests FINAL -- how many?'),
    ).resolves.toEqual([{ n: 2 }]);
    await expect(sink.queryReadOnly('DROP TABLE requests')).rejects.toMatchObject({
      code: AnalyticsErrorCode.QueryRejected,
    });
  });

  it('reports ClickHouse errors as AnalyticsError with the ClickHouse code', async () => {
    await expect(store.query('SELECT no_such_column FROM requests')).rejects.toMatchObject({
      code: AnalyticsErrorCode.StoreFailed,
      context: { operation: 'query', clickhouseCode: 47 },
    });
  });

  it('keeps the data across a restart on the same path', async () => {
    await store.close();
    await expect(store.query('SELECT 1')).rejects.toMatchObject({
      code: AnalyticsErrorCode.StoreClosed,
    });
    store = await ChdbAnalyticsStore.open(join(dataDir, 'clickhouse'));
    await expect(runMigrations(store)).resolves.toEqual([]);
    await expect(store.query('SELECT count() AS n FROM requests FINAL')).resolves.toEqual([
      { n: 2 },
    ]);
    await expect(store.query('SELECT count() AS n FROM events FINAL')).resolves.toEqual([{ n: 6 }]);
  });
});
