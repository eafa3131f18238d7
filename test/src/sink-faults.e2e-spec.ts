import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsServiceDefinition } from '@aigw/contracts';
import { ensureTopics } from '@aigw/events';
import { freePort } from '@aigw/testing';
import { createServiceChannel, createServiceClient } from '@aigw/transport';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { PrivateKafka } from './support/private-kafka';
import { produce } from './support/sink-events';

interface Counts {
  readonly requests: number;
  readonly requestsFinal: number;
  readonly events: number;
  readonly eventsFinal: number;
  readonly audit: number;
  readonly rollup: number;
}

// Real Kafka (a private broker) → the analytics-sink service process → chDB. After crashes and
// restarts the tables hold exactly one row per request and event: nothing lost, nothing doubled.
describe('analytics-sink under restarts (real Kafka, sink process, chDB)', () => {
  let dir: string;
  let kafka: PrivateKafka;
  let producer: Producer;
  let sink: RunningProcess | undefined;
  let sinkPort: number;
  let configPath: string;
  let metricsPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-sink-faults-'));
    kafka = await PrivateKafka.start(join(dir, 'local'));
    await ensureTopics([kafka.brokers], 'sink-faults-admin');
    producer = new Kafka({
      brokers: [kafka.brokers],
      clientId: 'sink-faults',
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    sinkPort = await freePort();
    configPath = join(dir, 'aigw.yaml');
    writeFileSync(
      configPath,
      `version: 1
runtime:
  # Test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  data_dir: ${join(dir, 'data')}
  kafka:
    brokers: ${kafka.brokers}
    client_id: sink-faults
  clickhouse:
    mode: embedded
  services:
    analytics_sink: 127.0.0.1:${sinkPort}
`,
    );
  }, 180_000);

  afterAll(async () => {
    await sink?.stop();
    await producer?.disconnect().catch(() => undefined);
    await kafka?.down().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function startSink(env: Record<string, string> = {}): RunningProcess {
    return startNodeProcess('analytics-sink', 'services/analytics-sink/dist/main.js', {
      AIGW_CONFIG: configPath,
      ...env,
    });
  }

  async function counts(): Promise<Counts> {
    const channel = createServiceChannel(`127.0.0.1:${sinkPort}`);
    try {
      const client = createServiceClient(AnalyticsServiceDefinition, channel);
      const { rowsJson } = await client.query({
        sql: `SELECT
          (SELECT toUInt32(count()) FROM requests) AS requests,
          (SELECT toUInt32(count()) FROM requests FINAL) AS requestsFinal,
          (SELECT toUInt32(count()) FROM events) AS events,
          (SELECT toUInt32(count()) FROM events FINAL) AS eventsFinal,
          (SELECT toUInt32(count()) FROM audit_log FINAL) AS audit,
          (SELECT toUInt32(sum(requests)) FROM cost_daily WHERE dimension = 'all') AS rollup`,
      });
      return (JSON.parse(rowsJson.toString()) as Counts[])[0]!;
    } finally {
      channel.close();
    }
  }

  const settled = (requests: number) =>
    eventually(
      `${requests} requests stored`,
      async () => {
        const now = await counts();
        return now.requestsFinal >= requests && now.eventsFinal >= requests * 3 ? now : undefined;
      },
      120_000,
      500,
    );

  it('keeps exact counts when the sink dies between the insert and the offset commit', async () => {
    await produce(producer, 'crash', 0, 3000);
    // Dies (SIGKILL) right after its first write reached ClickHouse, before committing it.
    const crashing = startSink({ AIGW_SINK_CRASH_AFTER_BATCHES: '1' });
    const code = await new Promise<number | null>((resolve) =>
      crashing.child.once('exit', (c, signal) => resolve(signal ? -1 : c)),
    );
    expect(code, crashing.output()).toBe(-1);

    metricsPort = await freePort();
    sink = startSink({ AIGW_SINK_METRICS_PORT: String(metricsPort) });
    const after = await settled(3000);
    expect(after).toEqual({
      requests: 3000,
      requestsFinal: 3000,
      events: after.events,
      eventsFinal: 9000,
      audit: 3000,
      rollup: 3000,
    });
    // The redelivered batches were physically inserted again into `events` (and collapse).
    expect(after.events).toBeGreaterThanOrEqual(9000);
  });

  it('keeps exact counts across a broker restart while events keep coming', async () => {
    await produce(producer, 'broker', 0, 1000);
    await settled(4000);
    await kafka.down(true);
    // While the broker is down the sink retries; events produced after it is back still arrive.
    await kafka.up();
    await produce(producer, 'broker', 1000, 1000);
    const after = await settled(5000);
    expect(after).toMatchObject({
      requests: 5000,
      requestsFinal: 5000,
      eventsFinal: 15000,
      audit: 5000,
      rollup: 5000,
    });
    expect(sink!.child.exitCode, sink!.output()).toBeNull();
  });

  it('reports its rows and a consumer lag that falls to zero on /metrics', async () => {
    const metrics = await eventually(
      'lag measured at zero on every lifecycle partition',
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        const lifecycle = [
          ...text.matchAll(
            /aigw_sink_consumer_lag\{topic="aigw\.lifecycle\.v1",partition="\d+"\} (\d+)/g,
          ),
        ];
        return lifecycle.length === 6 && lifecycle.every((match) => match[1] === '0')
          ? text
          : undefined;
      },
      60_000,
      1_000,
    );
    const stored = /aigw_sink_rows_total\{table="requests"\} (\d+)/.exec(metrics);
    expect(Number(stored?.[1])).toBeGreaterThan(0);
  });
});
