import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';
import { PrivateKafka } from './support/private-kafka';

const grpcServices = ['policy', 'guardrail-judge', 'provider-router', 'mcp-broker'] as const;
// What one chat request through the `chat` endpoint emits: its first target is dead.
const eventsPerRequest = 6;

/** Bytes waiting in every service's event spool under the data dir. */
function spooledBytes(dataDir: string): number {
  const spool = join(dataDir, 'spool');
  if (!existsSync(spool)) return 0;
  let total = 0;
  for (const service of readdirSync(spool)) {
    for (const file of readdirSync(join(spool, service))) {
      total += statSync(join(spool, service, file)).size;
    }
  }
  return total;
}

/**
 * The Kafka broker dies under load in cluster mode: requests keep succeeding, every service
 * spools its events to local disk, and once the broker is back the spools replay, so every
 * request has exactly its events and its one requests row in ClickHouse.
 */
describe('Kafka broker stopped during load (cluster mode)', () => {
  let dir: string;
  let kafka: PrivateKafka;
  let upstream: OpenAiMock;
  let baseUrl: string;
  const processes: RunningProcess[] = [];
  const requestIds: string[] = [];
  const run = `outage-${Date.now().toString(36)}`;
  const dataDir = (): string => join(dir, 'data');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-kafka-outage-'));
    kafka = await PrivateKafka.start(join(dir, 'kafka'));
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    const httpPort = await freePort();
    const configPath = join(dir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort,
        dataDir: dataDir(),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
        kafkaBrokers: kafka.brokers,
        servicePorts: {
          policy: await freePort(),
          guardrail_judge: await freePort(),
          provider_router: await freePort(),
          mcp_broker: await freePort(),
          analytics_sink: await freePort(),
        },
      }),
    );
    const env = {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: upstreamKey,
      // A sink group of its own on this broker.
      AIGW_SINK_GROUP_ID: `aigw-sink-${run}`,
    };
    for (const name of [...grpcServices, 'analytics-sink', 'ingress']) {
      processes.push(startNodeProcess(name, `services/${name}/dist/main.js`, env));
    }
    baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${baseUrl}/readyz`, 90_000);
  });

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await upstream?.close();
    await kafka?.down(true).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const chat = async (index: number): Promise<number> => {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${testKeys.alice}`,
        'content-type': 'application/json',
        'x-aigw-tags': `run=${run}`,
      },
      body: JSON.stringify({
        model: 'chat',
        messages: [{ role: 'user', content: `request ${index}` }],
      }),
    });
    requestIds.push(response.headers.get('x-request-id')!);
    await response.arrayBuffer();
    return response.status;
  };

  /** Requests in waves of `concurrency`, all of which must succeed. */
  const load = async (from: number, count: number, concurrency = 5): Promise<void> => {
    for (let start = from; start < from + count; start += concurrency) {
      const wave = Array.from({ length: Math.min(concurrency, from + count - start) }, (_, i) =>
        chat(start + i),
      );
      expect(await Promise.all(wave)).toEqual(wave.map(() => 200));
    }
  };

  it('keeps serving, spools while the broker is down, and loses or doubles nothing', async () => {
    await load(0, 20);
    await kafka.down(true);
    await load(20, 40);
    // The producers give up on the broker and move what they hold to local disk.
    await eventually('events spooled to local disk', () =>
      Promise.resolve(spooledBytes(dataDir()) > 0 ? true : undefined),
    );
    await kafka.up();
    await load(60, 20);

    const total = requestIds.length;
    expect(new Set(requestIds).size).toBe(80);
    const ids = requestIds.map((id) => `'${id}'`).join(',');
    let last: unknown;
    const counts = await eventually(
      'every request with all its events in ClickHouse',
      async () => {
        const [row] = await adminSql<{ requests: string; events: string; short: string }>(
          baseUrl,
          testKeys.admin,
          `SELECT
             (SELECT count() FROM requests FINAL WHERE request_id IN (${ids})) AS requests,
             (SELECT count() FROM events FINAL WHERE request_id IN (${ids})) AS events,
             (SELECT count() FROM (SELECT request_id, count() AS n FROM events FINAL
                WHERE request_id IN (${ids}) GROUP BY request_id HAVING n != ${eventsPerRequest}))
               AS short`,
        );
        last = { ...row, spooled: spooledBytes(dataDir()) };
        // Within a batch the sink stores events before request rows: wait for both.
        return row &&
          Number(row.events) >= total * eventsPerRequest &&
          Number(row.requests) >= total
          ? row
          : undefined;
      },
      180_000,
      1000,
    ).catch((error: unknown) => {
      const logs = processes.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');
      throw new Error(`${String(error)}; last seen ${JSON.stringify(last)}\n${logs}`);
    });
    expect(Number(counts.requests)).toBe(total);
    expect(Number(counts.events)).toBe(total * eventsPerRequest);
    expect(Number(counts.short)).toBe(0);
    // The spools drained once the broker was back.
    await eventually('the spools to drain', () =>
      Promise.resolve(spooledBytes(dataDir()) === 0 ? true : undefined),
    );
    for (const process of processes) expect(process.child.exitCode, process.name).toBeNull();
  }, 360_000);
});
