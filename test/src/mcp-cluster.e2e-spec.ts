import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createChannel, createClient } from 'nice-grpc';
import { HealthDefinition } from 'nice-grpc-server-health';
import { HealthCheckResponse_ServingStatus } from 'nice-grpc-server-health/lib/proto/grpc/health/v1/health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForHttp } from '@aigw/testing';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { assertKafkaReachable, kafkaBrokers, readTopicUntil } from './support/kafka-reader';
import {
  connectAgent,
  mcpGatewayConfigYaml,
  mcpGatewayEnv,
  mcpKeys,
  mcpSecrets,
} from './support/mcp/mcp-gateway';
import { type RecordsMcpServer, startRecordsMcpServer } from './support/mcp/records-mcp-server';

const runTag = `mcp-cluster-${Date.now().toString(36)}`;
const services = ['policy', 'guardrail-judge', 'provider-router', 'mcp-broker', 'ingress'] as const;

describe('MCP in cluster mode (mcp-broker its own process over gRPC, real Kafka)', () => {
  let records: RecordsMcpServer;
  let dir: string;
  let baseUrl: string;
  const processes: RunningProcess[] = [];
  const agents: Client[] = [];
  const outputs = (): string => processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  beforeAll(async () => {
    await assertKafkaReachable();
    records = await startRecordsMcpServer({ [mcpSecrets.serviceToken]: 'records-service' });
    dir = mkdtempSync(join(tmpdir(), 'aigw-mcp-cluster-'));
    const httpPort = await freePort();
    const brokerPort = await freePort();
    const configPath = join(dir, 'aigw.yaml');
    writeFileSync(
      configPath,
      mcpGatewayConfigYaml(httpPort, join(dir, 'data'), {
        recordsUrl: records.url,
        // No token exchange in this test: nothing listens here.
        tokenEndpointUrl: `http://127.0.0.1:${await freePort()}/token`,
        cluster: {
          kafkaBrokers: kafkaBrokers.join(','),
          ports: {
            policy: await freePort(),
            guardrail_judge: await freePort(),
            provider_router: await freePort(),
            mcp_broker: brokerPort,
            analytics_sink: await freePort(),
          },
        },
      }),
    );
    for (const name of services) {
      processes.push(
        startNodeProcess(name, `services/${name}/dist/main.js`, mcpGatewayEnv(configPath)),
      );
    }
    baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${baseUrl}/readyz`, 90_000).catch((error: unknown) => {
      throw new Error(`ingress did not start: ${String(error)}\n${outputs()}`);
    });
    // ingress is ready before the broker may be: wait until the broker serves gRPC.
    const channel = createChannel(`127.0.0.1:${brokerPort}`);
    const health = createClient(HealthDefinition, channel);
    await eventually(
      `mcp-broker serving\n${outputs()}`,
      async () =>
        (await health.check({ service: '' })).status === HealthCheckResponse_ServingStatus.SERVING
          ? true
          : undefined,
      60_000,
    );
    channel.close();
  });

  afterAll(async () => {
    await Promise.all(agents.map((client) => client.close().catch(() => undefined)));
    await Promise.all(processes.map((p) => p.stop()));
    await records?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists and calls tools of a stdio server and a service-credential HTTP server over gRPC', async () => {
    const tags = { 'x-aigw-tags': `run=${runTag}` };
    const everything = await connectAgent(baseUrl, 'everything', mcpKeys.alice, tags).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\n${outputs()}`);
      },
    );
    agents.push(everything);
    const names = (await everything.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('get-sum');
    expect(names).not.toContain('get-env');
    const sum = await everything.callTool({ name: 'get-sum', arguments: { a: 40, b: 2 } });
    expect(JSON.stringify(sum.content)).toContain('The sum of 40 and 2 is 42.');
    const progress: number[] = [];
    await everything.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
      undefined,
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(progress).toEqual([1, 2]);
    await expect(everything.callTool({ name: 'get-env', arguments: {} })).rejects.toBeInstanceOf(
      McpError,
    );

    const service = await connectAgent(baseUrl, 'records-service', mcpKeys.bob, tags);
    agents.push(service);
    const whoami = await service.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.stringify(whoami.content)).toContain('records-service');
    expect(records.authorizations).toContain(`Bearer ${mcpSecrets.serviceToken}`);
  });

  it('publishes mcp.called to the audit topic for every operation, the denied one too', async () => {
    const events = await readTopicUntil(
      'aigw.audit.v1',
      (event) =>
        event.value['type'] === 'mcp.called' && JSON.stringify(event.value).includes(runTag),
      // Calls of different requests sit in different partitions: wait for each one asserted.
      (seen) =>
        ['"status":"denied"', '"tool":"whoami"', '"tool":"get-sum"'].every((text) =>
          seen.some((event) => JSON.stringify(event.value).includes(text)),
        ),
    );
    const calls = events.map(
      (event) =>
        (event.value['payload'] as { mcpCalled?: Record<string, unknown> } | undefined)
          ?.mcpCalled ?? (event.value['mcpCalled'] as Record<string, unknown>),
    );
    expect(calls).toContainEqual(
      expect.objectContaining({ connection: 'everything', tool: 'get-env', status: 'denied' }),
    );
    expect(calls).toContainEqual(
      expect.objectContaining({ connection: 'everything', tool: 'get-sum', status: 'ok' }),
    );
    expect(calls).toContainEqual(
      expect.objectContaining({ connection: 'records-service', auth: 'service', status: 'ok' }),
    );
    for (const event of events) {
      expect(JSON.stringify(event.value)).not.toContain(mcpKeys.alice);
      expect(JSON.stringify(event.value)).not.toContain(mcpSecrets.serviceToken);
    }
  });
});
