import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChannel, createClient } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import { HealthCheckResponse_ServingStatus } from 'nice-grpc-server-health/lib/proto/grpc/health/v1/health';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';
import {
  assertKafkaReachable,
  kafkaBrokers,
  type ReadEvent,
  readTopicUntil,
} from './support/kafka-reader';

const runTag = `replicas-${Date.now().toString(36)}`;
const replicaCount = 3;
const requestsPerLoad = 60;
const concurrency = 6;
const killPadding = ' lorem ipsum dolor sit amet'.repeat(8_000);

// An endpoint straight to the upstream mock with a request PII guardrail.
const replicasEndpointYaml = `  replicas:
    targets:
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      request: [pii-mask]
    allow:
      groups: [eng]
`;

/** Runs `send(index)` for every index with at most `concurrency` at once; never throws. */
async function runLoad(
  count: number,
  send: (index: number) => Promise<void>,
): Promise<{ failures: string[] }> {
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      try {
        await send(index);
      } catch (error) {
        failures.push(`#${index}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { failures };
}

describe('guardrail-judge scales by replicas (client-side round robin, real Kafka)', () => {
  let upstream: OpenAiMock;
  let dataDir: string;
  let env: Record<string, string>;
  const processes = new Map<string, RunningProcess>();
  let alice: OpenAI;
  const judgeIds = Array.from({ length: replicaCount }, (_, index) => `judge-${index}-${runTag}`);

  const start = (name: string, script: string, extraEnv: Record<string, string> = {}): void => {
    processes.set(name, startNodeProcess(name, script, { ...env, ...extraEnv }));
  };
  const outputs = (): string =>
    [...processes.values()].map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  beforeAll(async () => {
    await assertKafkaReachable();
    // A little upstream latency keeps requests in flight while a replica is killed.
    upstream = await startOpenAiMock({ apiKey: upstreamKey, defaultLatencyMs: 20 });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-replicas-'));
    const httpPort = await freePort();
    const judgePorts: number[] = [];
    for (let index = 0; index < replicaCount; index++) judgePorts.push(await freePort());
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
        kafkaBrokers: kafkaBrokers.join(','),
        servicePorts: {
          policy: await freePort(),
          guardrail_judge: judgePorts,
          provider_router: await freePort(),
          mcp_broker: await freePort(),
          analytics_sink: await freePort(),
        },
        extraEndpointsYaml: replicasEndpointYaml,
      }),
    );
    env = { AIGW_CONFIG: configPath, E2E_UPSTREAM_KEY: upstreamKey };
    judgeIds.forEach((id, index) =>
      start(id, 'services/guardrail-judge/dist/main.js', {
        AIGW_GRPC_BIND: `127.0.0.1:${judgePorts[index]!}`,
        AIGW_INSTANCE_ID: id,
      }),
    );
    for (const name of ['policy', 'provider-router', 'mcp-broker', 'analytics-sink']) {
      start(name, `services/${name}/dist/main.js`);
    }
    // Every replica serves before ingress's channel first connects, so all start in the rotation.
    await Promise.all(
      judgePorts.map((port) =>
        eventually(
          `guardrail-judge on ${port}`,
          async () => {
            const channel = createChannel(`127.0.0.1:${port}`);
            try {
              const response = await createClient(HealthDefinition, channel).check({ service: '' });
              return response.status === HealthCheckResponse_ServingStatus.SERVING
                ? true
                : undefined;
            } finally {
              channel.close();
            }
          },
          90_000,
          250,
        ),
      ),
    ).catch((error: unknown) => {
      throw new Error(`guardrail-judge replicas did not start: ${String(error)}\n${outputs()}`);
    });
    start('ingress', 'services/ingress/dist/main.js');
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${baseUrl}/readyz`, 90_000).catch((error: unknown) => {
      throw new Error(`ingress did not start: ${String(error)}\n${outputs()}`);
    });
    alice = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: testKeys.alice, maxRetries: 0 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * One chat request carrying an email; the answer must echo it masked. `padding` makes each
   * evaluation take long enough that some are in flight on a replica when it is killed.
   */
  const sendMasked = async (phase: string, index: number, padding = ''): Promise<void> => {
    const response = await alice.chat.completions.create(
      {
        model: 'replicas',
        messages: [
          { role: 'user', content: `${phase} ${index}: mail user${index}@example.com${padding}` },
        ],
      },
      { headers: { 'x-aigw-tags': `run=${runTag},phase=${phase}` } },
    );
    const content = response.choices[0]?.message.content ?? '';
    if (!content.includes('[EMAIL_1]')) throw new Error(`not masked: ${content}`);
  };

  const guardrailEventsOf = async (
    phase: string,
    done: (events: ReadEvent[]) => boolean,
  ): Promise<ReadEvent[]> => {
    const ours = (event: ReadEvent): boolean => {
      const tags = event.value['tags'] as Record<string, string> | undefined;
      return (
        event.value['type'] === 'guardrail.evaluated' &&
        tags?.['run'] === runTag &&
        tags['phase'] === phase
      );
    };
    return readTopicUntil('aigw.lifecycle.v1', ours, done);
  };

  const upstreamSaw = (phase: string): string =>
    JSON.stringify(
      upstream.requests
        .map((request) => request.body)
        .filter((body) => {
          return JSON.stringify(body).includes(`${phase} `);
        }),
    );

  it('spreads evaluations over all three replicas, each serving a fair share', async () => {
    const { failures } = await runLoad(requestsPerLoad, (index) => sendMasked('spread', index));
    expect(failures, outputs()).toEqual([]);

    const events = await guardrailEventsOf('spread', (read) => read.length >= requestsPerLoad);
    expect(events).toHaveLength(requestsPerLoad);
    const served = new Map<string, number>();
    for (const event of events) {
      const instance = String(event.value['serviceInstance']);
      served.set(instance, (served.get(instance) ?? 0) + 1);
    }
    expect([...served.keys()].sort()).toEqual([...judgeIds].sort());
    for (const id of judgeIds) {
      expect(served.get(id), `${id} served ${served.get(id)}`).toBeGreaterThanOrEqual(
        requestsPerLoad * 0.1,
      );
    }
  }, 120_000);

  it('loses no request when a replica is killed mid-load; the PII still reaches upstream masked', async () => {
    const killed = processes.get(judgeIds[0]!)!;
    let completed = 0;
    let killing: Promise<unknown> | undefined;
    const { failures } = await runLoad(requestsPerLoad, async (index) => {
      await sendMasked('kill', index, killPadding);
      completed++;
      if (completed === Math.floor(requestsPerLoad / 3)) killing = killed.stop('SIGKILL');
    });
    await killing;
    expect(killed.child.signalCode).toBe('SIGKILL');
    expect(failures, outputs()).toEqual([]);

    const seen = upstreamSaw('kill');
    for (let index = 0; index < requestsPerLoad; index++) {
      expect(seen).toContain(`kill ${index}: mail [EMAIL_1]`);
    }
    expect(seen).not.toContain('@example.com');

    // The two survivors served the rest (events the killed replica had not yet sent are lost).
    const instancesOf = (read: ReadEvent[]): Set<string> =>
      new Set(read.map((event) => String(event.value['serviceInstance'])));
    const events = await guardrailEventsOf('kill', (read) => {
      const instances = instancesOf(read);
      return instances.has(judgeIds[1]!) && instances.has(judgeIds[2]!);
    });
    expect([...instancesOf(events)]).toEqual(expect.arrayContaining([judgeIds[1], judgeIds[2]]));
  }, 120_000);
});
