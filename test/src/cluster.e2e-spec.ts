import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChannel, createClient } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import { HealthCheckResponse_ServingStatus } from 'nice-grpc-server-health/lib/proto/grpc/health/v1/health';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';
import { OtlpReceiver } from './support/otlp-receiver';
import {
  assertKafkaReachable,
  kafkaBrokers,
  type ReadEvent,
  readTopicUntil,
} from './support/kafka-reader';

const runTag = `cluster-${Date.now().toString(36)}`;
const grpcServices = ['policy', 'guardrail-judge', 'provider-router', 'mcp-broker'] as const;

describe('cluster mode (one process per service, gRPC, real Kafka, ClickHouse via the sink)', () => {
  let upstream: OpenAiMock;
  const otlp = new OtlpReceiver();
  let dataDir: string;
  let env: Record<string, string>;
  const processes = new Map<string, RunningProcess>();
  let baseUrl: string;
  let alice: OpenAI;
  const requestIds: string[] = [];
  let servicePorts: Record<
    'policy' | 'guardrail_judge' | 'provider_router' | 'mcp_broker' | 'analytics_sink',
    number
  >;

  const start = (name: string): RunningProcess => {
    const running = startNodeProcess(name, `services/${name}/dist/main.js`, env);
    processes.set(name, running);
    return running;
  };
  const outputs = (): string =>
    [...processes.values()].map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  beforeAll(async () => {
    await assertKafkaReachable();
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-cluster-'));
    const httpPort = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    servicePorts = {
      policy: await freePort(),
      guardrail_judge: await freePort(),
      provider_router: await freePort(),
      mcp_broker: await freePort(),
      analytics_sink: await freePort(),
    };
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
        kafkaBrokers: kafkaBrokers.join(','),
        servicePorts,
      }),
    );
    env = {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: upstreamKey,
      // Every service exports its spans and metrics to the receiver, like to a collector.
      OTEL_EXPORTER_OTLP_ENDPOINT: await otlp.start(),
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
    };
    for (const name of grpcServices) start(name);
    start('analytics-sink');
    start('ingress');
    baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${baseUrl}/readyz`, 90_000).catch((error: unknown) => {
      throw new Error(`ingress did not start: ${String(error)}\n${outputs()}`);
    });
    alice = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: testKeys.alice,
      maxRetries: 0,
      defaultHeaders: { 'x-aigw-tags': `team=search,run=${runTag}` },
    });
  });

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await upstream?.close();
    await otlp.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves chat completions with the official SDK, streaming and not, falling back past a dead target', async () => {
    for (let index = 0; index < 3; index++) {
      const response = await alice.chat.completions
        .create({
          model: 'chat',
          messages: [{ role: 'user', content: `hello ${index} from a@b.io` }],
        })
        .withResponse();
      requestIds.push(response.response.headers.get('x-request-id')!);
      expect(response.data.choices[0]!.message.content).toContain('[EMAIL_1]');
    }
    for (let index = 0; index < 3; index++) {
      const stream = await alice.chat.completions
        .create({
          model: 'chat',
          stream: true,
          messages: [{ role: 'user', content: `stream ${index}` }],
        })
        .withResponse();
      requestIds.push(stream.response.headers.get('x-request-id')!);
      let text = '';
      for await (const chunk of stream.data) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toContain(`stream ${index}`);
    }
    expect(new Set(requestIds).size).toBe(6);
    expect(JSON.stringify(upstream.requests.map((r) => r.body))).not.toContain('a@b.io');
  }, 120_000);

  it('puts every lifecycle event of every request on Kafka, keyed by request id', async () => {
    const expectedTypes = [
      'request.received',
      'policy.decided',
      'guardrail.evaluated',
      'provider.attempted',
      'provider.attempted',
      'request.completed',
    ];
    const ours = (event: ReadEvent): boolean =>
      (event.value['tags'] as Record<string, string> | undefined)?.['run'] === runTag;
    const complete = (events: ReadEvent[]): boolean =>
      requestIds.every(
        (id) => events.filter((event) => event.key === id).length >= expectedTypes.length,
      );
    const events = await readTopicUntil('aigw.lifecycle.v1', ours, complete);
    for (const id of requestIds) {
      const mine = events.filter((event) => event.key === id);
      expect(mine.map((event) => event.value['type']).sort()).toEqual([...expectedTypes].sort());
      for (const event of mine) {
        expect(event.value['requestId']).toBe(id);
        expect(event.value['schemaVersion']).toBe(1);
        expect(JSON.stringify(event.value)).not.toContain(testKeys.alice);
        expect(JSON.stringify(event.value)).not.toContain(upstreamKey);
      }
      const attempts = mine
        .filter((event) => event.value['type'] === 'provider.attempted')
        .map((event) => event.value['providerAttempted'] as Record<string, unknown>)
        .sort((a, b) => Number(a['attempt']) - Number(b['attempt']));
      expect(attempts[0]).toMatchObject({
        provider: 'dead',
        errorClass: 'connection',
        fellBack: true,
      });
      expect(attempts[1]).toMatchObject({ provider: 'upstream', status: 200 });
      const completed = mine.find((event) => event.value['type'] === 'request.completed')!;
      expect(completed.value['principal']).toMatchObject({ id: 'alice', groups: ['eng'] });
      expect(completed.value['endpoint']).toBe('chat');
    }
  }, 90_000);

  /** On failure, show what the service processes printed. */
  const withProcessOutput = async (body: () => Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs()}`);
    }
  };

  const countRows = async (table: string): Promise<number> => {
    const rows = await adminSql<{ n: number }>(
      baseUrl,
      testKeys.admin,
      `SELECT toUInt32(count()) AS n FROM ${table} FINAL WHERE tags['run'] = '${runTag}'`,
    );
    return Number(rows[0]!.n);
  };

  it('builds exactly one requests row per request in ClickHouse, none doubled after a sink restart', async () => {
    await withProcessOutput(async () => {
      await eventually(
        '6 requests rows',
        async () => ((await countRows('requests')) === 6 ? true : undefined),
        60_000,
      );
      await eventually(
        '36 events rows',
        async () => ((await countRows('events')) === 36 ? true : undefined),
        60_000,
      );
      const rows = await adminSql<Record<string, unknown>>(
        baseUrl,
        testKeys.admin,
        `SELECT request_id, principal_id, groups, endpoint, provider, model, status, stream, prompt_tokens, tags['team'] AS team
       FROM requests FINAL WHERE tags['run'] = '${runTag}' ORDER BY request_id`,
      );
      expect(rows.map((row) => row['request_id']).sort()).toEqual([...requestIds].sort());
      for (const row of rows) {
        expect(row).toMatchObject({
          principal_id: 'alice',
          groups: ['eng'],
          endpoint: 'chat',
          provider: 'upstream',
          model: 'gpt-4o-mini',
          team: 'search',
        });
        expect(Number(row['status'])).toBe(200);
        expect(Number(row['prompt_tokens'])).toBeGreaterThan(0);
      }

      // Kill the sink without warning, restart it: it resumes from its committed offsets.
      await processes.get('analytics-sink')!.stop('SIGKILL');
      start('analytics-sink');
      await eventually(
        'sink back',
        async () => ((await countRows('requests')) >= 0 ? true : undefined),
        60_000,
      );
      await alice.chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'after restart' }],
      });
      await eventually(
        '7 requests rows',
        async () => ((await countRows('requests')) === 7 ? true : undefined),
        60_000,
      );
      expect(await countRows('requests')).toBe(7);
      expect(await countRows('events')).toBe(42);
    });
  }, 180_000);

  it('traces one request across every hop, continuing the caller trace, into the sink via Kafka', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${testKeys.alice}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        'x-aigw-tags': `run=${runTag}`,
      },
      body: JSON.stringify({
        model: 'chat',
        messages: [{ role: 'user', content: 'trace me, a@b.io' }],
      }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id')!;
    const services = [
      'aigw-ingress',
      'aigw-policy',
      'aigw-guardrail-judge',
      'aigw-provider-router',
      'aigw-analytics-sink',
    ];
    const spans = await eventually(`spans of trace ${traceId} from ${services.join(', ')}`, () => {
      const ours = otlp.spans.filter((span) => span.traceId === traceId);
      const seen = new Set(ours.map((span) => span.service));
      return Promise.resolve(services.every((service) => seen.has(service)) ? ours : undefined);
    });
    // The ingress span continues the caller's span; every other span hangs off the tree.
    const root = spans.find((span) => span.service === 'aigw-ingress' && span.kind === 2)!;
    expect(root.parentSpanId).toBe(callerSpanId);
    const ids = new Set(spans.map((span) => span.spanId));
    for (const span of spans.filter((candidate) => candidate !== root)) {
      expect(ids.has(span.parentSpanId), `${span.service} ${span.name} has its parent`).toBe(true);
    }
    const policyServer = spans.find((span) => span.service === 'aigw-policy' && span.kind === 2)!;
    expect(policyServer.name).toBe('aigw.policy.v1.PolicyService/Authorize');
    // The request's events carry the same trace id into ClickHouse.
    const rows = await eventually('events of the traced request', async () => {
      const result = await adminSql<{ trace_id: string }>(
        baseUrl,
        testKeys.admin,
        `SELECT DISTINCT trace_id FROM events WHERE request_id = '${requestId}'`,
      );
      return result.length > 0 ? result : undefined;
    });
    expect(rows).toEqual([{ trace_id: traceId }]);
    // And metrics reach the collector from the services that emit them.
    await eventually('aigw.requests metric from ingress', () =>
      Promise.resolve(otlp.metrics.get('aigw-ingress')?.has('aigw.requests') ? true : undefined),
    );
    expect(otlp.metrics.get('aigw-policy')?.has('aigw.policy.decisions')).toBe(true);
    expect(otlp.metrics.get('aigw-ingress')?.has('aigw.events.spooled')).toBe(true);
    await eventually('the consumer lag gauge from the sink', () =>
      Promise.resolve(
        otlp.metrics.get('aigw-analytics-sink')?.has('aigw.sink.consumer_lag') ? true : undefined,
      ),
    );
  }, 120_000);

  it('serves the gRPC health protocol on every gRPC service and /healthz, /readyz on ingress', async () => {
    for (const [name, port] of Object.entries(servicePorts)) {
      const channel = createChannel(`127.0.0.1:${port}`);
      const health = createClient(HealthDefinition, channel);
      const response = await health.check({ service: '' });
      expect(response.status, name).toBe(HealthCheckResponse_ServingStatus.SERVING);
      channel.close();
    }
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
  });
});
