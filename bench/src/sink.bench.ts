import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbAnalyticsStore } from '@aigw/analytics';
import { SinkWorker } from '@aigw/analytics-sink';
import { type Envelope, PolicyDecided, PrincipalKind, RequestCompleted } from '@aigw/contracts';
import { createLogger } from '@aigw/core';
import { createEnvelope, createKafkaEventSubscriber, encodeEnvelope } from '@aigw/events';
import { Kafka, logLevel, type Producer } from 'kafkajs';

// analytics-sink bench: real Kafka (KAFKA_BROKERS, default the local 127.0.0.1:9092) into
// embedded ClickHouse (chDB 26.x) through one SinkWorker: the same consumer, sink and store
// code the analytics-sink service runs. Topics are private to the run and deleted at the end.
//   1. throughput: a backlog of events, consumed from the start; events/s until all are stored.
//   2. freshness: requests produced at a steady rate while the sink keeps up; per request,
//      `requests.inserted_at` (set by ClickHouse when the insert that makes the row queryable
//      runs) minus the request's completion time, p50/p99.
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const backlogRequests = Number(process.env['BENCH_SINK_REQUESTS'] ?? 40_000);
const freshnessRate = Number(process.env['BENCH_SINK_RATE'] ?? 500);
const freshnessSeconds = Number(process.env['BENCH_SINK_SECONDS'] ?? 10);
const eventsPerRequest = 3;
const targets = { eventsPerSecond: 100_000, freshnessP99Ms: 2_000 };

const run = Date.now().toString(36);
const topic = `aigw.bench.sink.${run}`;

function requestEvents(requestId: string, index: number, at: Date): Envelope[] {
  const context = {
    requestId,
    traceId: `trace-${requestId}`,
    principal: {
      id: `user-${index % 50}`,
      kind: PrincipalKind.PRINCIPAL_KIND_USER,
      groups: ['eng', `team-${index % 5}`],
      roles: [],
      tags: {},
    },
    endpoint: `endpoint-${index % 4}`,
    tags: { team: `team-${index % 5}`, feature: `f-${index % 11}` },
  };
  return [
    createEnvelope(
      'ingress',
      context,
      {
        $case: 'requestReceived',
        value: {
          operation: 'chat.completions',
          method: 'POST',
          path: '/v1/chat/completions',
          stream: false,
          bodyBytes: 512,
          userAgent: 'bench',
        },
      },
      at,
    ),
    createEnvelope(
      'policy',
      context,
      {
        $case: 'policyDecided',
        value: PolicyDecided.fromPartial({
          decision: 'allowed',
          targets: ['openai/gpt-4o'],
          latencyMs: 0.2,
        }),
      },
      at,
    ),
    createEnvelope(
      'ingress',
      context,
      {
        $case: 'requestCompleted',
        value: RequestCompleted.fromPartial({
          status: 200,
          provider: 'openai',
          model: 'gpt-4o-mini',
          usage: { promptTokens: 120, completionTokens: 80, cachedTokens: 0, reasoningTokens: 0 },
          latencyMs: 420,
          ttftMs: 420,
          attempts: 1,
          costUsd: '0.000066',
          operation: 'chat.completions',
        }),
      },
      at,
    ),
  ];
}

async function produce(
  producer: Producer,
  prefix: string,
  from: number,
  count: number,
  at?: Date,
): Promise<void> {
  const messages = [];
  for (let index = from; index < from + count; index += 1) {
    for (const envelope of requestEvents(`${prefix}-${index}`, index, at ?? new Date())) {
      messages.push({ key: envelope.requestId, value: encodeEnvelope(envelope) });
    }
  }
  for (let start = 0; start < messages.length; start += 5_000) {
    await producer.send({ topic, acks: 1, messages: messages.slice(start, start + 5_000) });
  }
}

async function count(store: ChdbAnalyticsStore, prefix: string): Promise<number> {
  const [row] = await store.query<{ n: number }>(
    `SELECT toUInt32(count()) AS n FROM requests WHERE startsWith(request_id, {p:String})`,
    { p: `${prefix}-` },
  );
  return row?.n ?? 0;
}

async function waitFor(
  store: ChdbAnalyticsStore,
  prefix: string,
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await count(store, prefix)) >= expected) return performance.now();
    // Seldom: each count waits in the same chDB queue as the sink's inserts.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${expected} ${prefix} requests`);
}

async function main(): Promise<void> {
  const kafka = new Kafka({ brokers, clientId: `bench-sink-${run}`, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 6, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const producer = kafka.producer();
  await producer.connect();
  const dataDir = mkdtempSync(join(tmpdir(), 'aigw-bench-sink-'));
  const store = await ChdbAnalyticsStore.open(dataDir);
  const logger = createLogger({ service: 'bench-sink' });
  let firstBatchAt = 0;
  const worker = new SinkWorker(
    store,
    createKafkaEventSubscriber({
      brokers,
      clientId: `bench-sink-${run}`,
      groupId: `bench-sink-${run}`,
      topics: [topic],
      maxWaitTimeMs: 100,
      partitionsConsumedConcurrently: 6,
      // As the analytics-sink service: fetches of up to 16 MiB, so one write carries ~30k events.
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
      logger,
    }),
    async () => undefined,
    logger,
    { afterBatchStored: () => (firstBatchAt ||= performance.now()) },
  );
  try {
    process.stdout.write(`producing a backlog of ${backlogRequests * eventsPerRequest} events…\n`);
    await produce(producer, 'backlog', 0, backlogRequests);
    const started = performance.now();
    await worker.start();
    const doneAt = await waitFor(store, 'backlog', backlogRequests, 600_000);
    const throughput = (backlogRequests * eventsPerRequest) / ((doneAt - firstBatchAt) / 1000);
    const withJoin = (backlogRequests * eventsPerRequest) / ((doneAt - started) / 1000);

    process.stdout.write(`freshness: ${freshnessRate} requests/s for ${freshnessSeconds} s…\n`);
    const tick = 100;
    const perTick = Math.max(1, Math.round((freshnessRate * tick) / 1000));
    let sent = 0;
    const end = performance.now() + freshnessSeconds * 1000;
    while (performance.now() < end) {
      const tickStart = performance.now();
      await produce(producer, 'fresh', sent, perTick, new Date());
      sent += perTick;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, tick - (performance.now() - tickStart))),
      );
    }
    await waitFor(store, 'fresh', sent, 60_000);
    const [fresh] = await store.query<{ p50: number; p99: number; max: number }>(
      `SELECT quantileExact(0.5)(lag) AS p50, quantileExact(0.99)(lag) AS p99, max(lag) AS max
       FROM (SELECT dateDiff('millisecond', time, inserted_at) AS lag FROM requests
             WHERE startsWith(request_id, 'fresh-'))`,
    );

    const rows: [string, string, string, string][] = [
      [
        'throughput (events/s, first batch → all stored)',
        throughput.toFixed(0),
        `>= ${targets.eventsPerSecond}`,
        throughput >= targets.eventsPerSecond ? 'met' : 'NOT met',
      ],
      ['throughput incl. group join (events/s)', withJoin.toFixed(0), '', ''],
      ['freshness p50 (ms)', String(fresh?.p50), '', ''],
      [
        'freshness p99 (ms)',
        String(fresh?.p99),
        `<= ${targets.freshnessP99Ms}`,
        Number(fresh?.p99) <= targets.freshnessP99Ms ? 'met' : 'NOT met',
      ],
      ['freshness max (ms)', String(fresh?.max), '', ''],
    ];
    const widths = [50, 10, 10, 8];
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
    process.stdout.write(
      `\nanalytics-sink bench: Kafka (${brokers.join(',')}, 6 partitions) → one SinkWorker → chDB (embedded ClickHouse)\n`,
    );
    process.stdout.write(
      `backlog ${backlogRequests * eventsPerRequest} events (${backlogRequests} requests × ${eventsPerRequest}); freshness ${sent} requests at ${freshnessRate}/s\n\n`,
    );
    process.stdout.write(
      `${line(['measure', 'value', 'target', ''])}\n${line(widths.map((w) => '-'.repeat(w)))}\n`,
    );
    for (const row of rows) process.stdout.write(`${line(row)}\n`);
  } finally {
    await worker.stop().catch(() => undefined);
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
