import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Envelope } from '@aigw/contracts';
import { createEnvelope, encodeEnvelope, type EventPayload } from '@aigw/events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalyticsSink, type DeadLetterHandler } from './analytics-sink';
import { ChdbAnalyticsStore } from './chdb-analytics-store';
import { runMigrations } from './migration-runner';
import {
  completedPayload,
  consumedRecord,
  decidedPayload,
  failedPayload,
  receivedPayload,
  recordsOf,
  requestContext,
} from './testing/event-fixtures';

// Recent: inference_payloads rows past their retention are dropped by the TTL even on insert.
const start = new Date(Date.now() - 3_600_000);
const at = (ms: number) => new Date(start.getTime() + ms);

function attempted(
  attempt: number,
  provider: string,
  errorClass: string,
  fellBack: boolean,
): EventPayload {
  return {
    $case: 'providerAttempted',
    value: {
      attempt,
      provider,
      model: `${provider}-model`,
      status: errorClass ? 503 : 200,
      latencyMs: 5,
      errorClass,
      fellBack,
      retried: false,
      backoffMs: 0,
    },
  };
}

function masked(): EventPayload {
  return {
    $case: 'guardrailEvaluated',
    value: {
      guardrail: 'pii',
      stage: 'request',
      verdict: 'masked',
      action: 'mask',
      entities: [{ entityType: 'EMAIL', count: 2 }],
      latencyMs: 0.4,
      judgeProvider: '',
      judgeModel: '',
      judgeCostUsd: '',
    },
  };
}

function payloadLogged(): EventPayload {
  return {
    $case: 'inferencePayload',
    value: {
      operation: 'chat.completions',
      provider: 'backup',
      model: 'backup-model',
      status: 200,
      latencyMs: 40,
      errorCode: '',
      errorMessage: '',
      requestBody: '{"messages":[{"role":"user","content":"mail <EMAIL>"}]}',
      responseBody: '{"choices":[{"message":{"content":"ok"}}]}',
      stream: false,
      retentionDays: 7,
      truncated: false,
    },
  };
}

/** Request "fb": fell back from primary to backup, a guardrail masked, its body was logged. */
function fallbackRequest(): Envelope[] {
  const context = requestContext('fb', { team: 'search' });
  return [
    createEnvelope('ingress', context, receivedPayload(), at(0)),
    createEnvelope('policy', context, decidedPayload(), at(1)),
    createEnvelope('guardrail-judge', context, masked(), at(2)),
    createEnvelope(
      'provider-router',
      context,
      attempted(1, 'primary', 'upstream_5xx', true),
      at(10),
    ),
    createEnvelope('provider-router', context, attempted(2, 'backup', '', false), at(30)),
    createEnvelope('ingress', context, completedPayload('0.5'), at(40)),
    createEnvelope('ingress', context, payloadLogged(), at(40)),
  ];
}

// Real embedded ClickHouse: every table the sink writes, and the rollups fed from them.
describe('AnalyticsSink on chDB', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aigw-sink-'));
  let store: ChdbAnalyticsStore;
  const deadLetter = vi.fn<DeadLetterHandler>(async () => undefined);
  const endpointTags = (endpoint: string): Record<string, string> =>
    endpoint === 'chat' ? { cost_center: 'cc-7' } : {};
  const newSink = () => new AnalyticsSink({ store, deadLetter, endpointTags });
  const fallbackRecords = recordsOf(fallbackRequest());

  beforeAll(async () => {
    store = await ChdbAnalyticsStore.open(dataDir);
    await runMigrations(store);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fills requests, audit_log, guardrail_findings and inference_payloads from one batch', async () => {
    const result = await newSink().handleBatch(fallbackRecords);
    expect(result).toEqual({
      events: 6,
      requests: 1,
      audit: 2,
      findings: 1,
      payloads: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    const [request] = await store.query(
      `SELECT endpoint_tags, fallbacks, error_class, guardrail_actions, provider, toString(cost_usd) AS cost
       FROM requests FINAL WHERE request_id = 'fb'`,
    );
    expect(request).toEqual({
      endpoint_tags: { cost_center: 'cc-7' },
      fallbacks: ['primary/primary-model'],
      error_class: 'upstream_5xx',
      guardrail_actions: ['request:pii:masked'],
      provider: 'mock',
      cost: '0.5',
    });
    await expect(
      store.query(
        'SELECT category, action, outcome FROM audit_log FINAL WHERE request_id = {id:String} ORDER BY category',
        { id: 'fb' },
      ),
    ).resolves.toEqual([
      { category: 'authz', action: 'call_endpoint', outcome: 'allowed' },
      { category: 'guardrail', action: 'pii', outcome: 'masked' },
    ]);
    await expect(
      store.query(
        'SELECT guardrail, verdict, entity_types, entity_counts FROM guardrail_findings FINAL',
      ),
    ).resolves.toEqual([
      { guardrail: 'pii', verdict: 'masked', entity_types: ['EMAIL'], entity_counts: [2] },
    ]);
    const [payload] = await store.query<{ request_body: string; retention_days: number }>(
      "SELECT request_body, retention_days FROM inference_payloads FINAL WHERE request_id = 'fb'",
    );
    expect(payload).toEqual({
      request_body: expect.stringContaining('<EMAIL>'),
      retention_days: 7,
    });
    // Bodies stay out of the events table.
    await expect(
      store.query("SELECT count() AS n FROM events WHERE type = 'inference.payload'"),
    ).resolves.toEqual([{ n: 0 }]);
  });

  it('completes a request row from events stored by an earlier batch', async () => {
    const context = requestContext('split', { team: 'ads' });
    const early = [
      createEnvelope('ingress', context, receivedPayload(), at(100)),
      createEnvelope('provider-router', context, attempted(1, 'primary', 'timeout', true), at(110)),
    ];
    const late = [
      createEnvelope(
        'provider-router',
        context,
        attempted(2, 'backup', 'upstream_5xx', false),
        at(150),
      ),
      createEnvelope('ingress', context, failedPayload(), at(160)),
    ];
    const sink = newSink();
    await expect(sink.handleBatch(recordsOf(early))).resolves.toMatchObject({ requests: 0 });
    await expect(sink.handleBatch(recordsOf(late, 2))).resolves.toMatchObject({ requests: 1 });
    await expect(
      store.query(
        "SELECT fallbacks, error_class, status FROM requests FINAL WHERE request_id = 'split'",
      ),
    ).resolves.toEqual([
      { fallbacks: ['primary/primary-model'], error_class: 'upstream_5xx', status: 504 },
    ]);
  });

  it('after a crash between insert and commit, a redelivered batch leaves exact counts and rollups', async () => {
    // The batch was inserted, then the process died before committing: a new sink (empty
    // id cache) gets the same records again.
    await expect(newSink().handleBatch(fallbackRecords)).resolves.toMatchObject({
      events: 6,
      requests: 0,
      duplicates: 0,
    });
    await expect(
      store.query(
        'SELECT request_id, count() AS n FROM requests GROUP BY request_id ORDER BY request_id',
      ),
    ).resolves.toEqual([
      { request_id: 'fb', n: 1 },
      { request_id: 'split', n: 1 },
    ]);
    for (const table of ['audit_log', 'guardrail_findings', 'inference_payloads']) {
      await expect(store.query(`SELECT count() AS n FROM ${table} FINAL`)).resolves.toEqual([
        { n: table === 'audit_log' ? 2 : 1 },
      ]);
    }
    const rollup = await store.query(
      `SELECT dimension, value, toUInt32(sum(requests)) AS requests, toUInt32(sum(errors)) AS errors,
              toUInt32(sum(fallbacks)) AS fallbacks, toString(sum(cost_usd)) AS cost
       FROM cost_daily GROUP BY dimension, value ORDER BY dimension, value`,
    );
    expect(rollup).toEqual([
      { dimension: 'all', value: '', requests: 2, errors: 1, fallbacks: 2, cost: '0.5' },
      {
        dimension: 'endpoint_tag:cost_center',
        value: 'cc-7',
        requests: 2,
        errors: 1,
        fallbacks: 2,
        cost: '0.5',
      },
      { dimension: 'group', value: 'eng', requests: 2, errors: 1, fallbacks: 2, cost: '0.5' },
      { dimension: 'group', value: 'finops', requests: 2, errors: 1, fallbacks: 2, cost: '0.5' },
      { dimension: 'tag:team', value: 'ads', requests: 1, errors: 1, fallbacks: 1, cost: '0' },
      { dimension: 'tag:team', value: 'search', requests: 1, errors: 0, fallbacks: 1, cost: '0.5' },
    ]);
  });

  it('completes a request row with an event it first read from the audit topic', async () => {
    const context = requestContext('audit-first', { team: 'ads' });
    const guardrail = createEnvelope('guardrail-judge', context, masked(), at(201));
    const lifecycle = [
      createEnvelope('ingress', context, receivedPayload(), at(200)),
      guardrail,
      createEnvelope('ingress', context, completedPayload('0'), at(230)),
    ];
    const sink = newSink();
    await sink.handleBatch(recordsOf([guardrail], 50));
    await expect(sink.handleBatch(recordsOf(lifecycle, 60))).resolves.toMatchObject({
      requests: 1,
      duplicates: 1,
    });
    await expect(
      store.query("SELECT guardrail_actions FROM requests FINAL WHERE request_id = 'audit-first'"),
    ).resolves.toEqual([{ guardrail_actions: ['request:pii:masked'] }]);
  });

  it('dead-letters an event of a schema version it does not know', async () => {
    const envelope = createEnvelope('ingress', requestContext('v2'), receivedPayload(), at(0));
    const future = { ...JSON.parse(encodeEnvelope(envelope).toString()), schemaVersion: 2 };
    const record = consumedRecord(JSON.stringify(future), 99, 'v2');
    deadLetter.mockClear();
    await expect(newSink().handleBatch([record])).resolves.toMatchObject({
      deadLettered: 1,
      events: 0,
    });
    expect(deadLetter).toHaveBeenCalledWith(record, expect.stringContaining('schemaVersion'));
  });
});
