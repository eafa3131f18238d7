import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AuthorizeRequest,
  AuthorizeOutcome,
  type AuthorizeResponse,
  PolicyServiceDefinition,
  SettleOutcome,
  type SettleRequest,
} from '@aigw/contracts';
import { parseConfig, StaticConfigSource } from '@aigw/config';
import { createLogger, sha256Hex } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { ApiKeyService, PolicyDecider, PolicyModule, policyGrpcImplementation } from '@aigw/policy';
import { RuntimeModule } from '@aigw/runtime';
import { Redis } from 'ioredis';
import { HealthDefinition } from 'nice-grpc-server-health';
import { createServiceChannel, createServiceClient, GrpcServerHost } from '@aigw/transport';
import { latencySummary } from './percentiles';

const key = 'aigw-bench-policy-key';
const redisUrl = process.env['AIGW_BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const runMs = Number(process.env['AIGW_BENCH_POLICY_MS'] ?? 2_000);
const targets = { standaloneP99: 0.2, redisP99: 1 } as const;
/** Runs only the rows whose name contains this text (e.g. `gRPC`), to profile one of them. */
const onlyRows = process.env['AIGW_BENCH_POLICY_ROWS'] ?? '';

/**
 * A realistic limits setup: endpoint rpm/tpm/concurrency, the principal's rpm/tpm, a group's
 * tpm, and daily/monthly budgets for the user, the group and a request tag — 11 counters
 * checked and reserved per decision. Limits are high enough that nothing is refused.
 */
function configYaml(withLimits: boolean, redisPrefix: string | undefined): string {
  const redis = redisPrefix
    ? `  redis: { url: "${redisUrl}", key_prefix: "${redisPrefix}" }\n`
    : '';
  const limits = withLimits
    ? {
        endpoint: `    limits: { requests_per_minute: 100000000, tokens_per_minute: 1000000000000, concurrent_requests: 1000000 }\n`,
        principal: `, limits: { requests_per_minute: 100000000, tokens_per_minute: 1000000000000 }`,
        rest: `groups:
  eng: { limits: { tokens_per_minute: 1000000000000 } }
budgets:
  - { scope: user, period: day, usd: "1000000" }
  - { scope: user, period: month, usd: "1000000" }
  - { scope: group, name: eng, period: month, usd: "1000000" }
  - { scope: tag, tag: team, period: day, usd: "1000000" }
`,
      }
    : { endpoint: '', principal: '', rest: '' };
  return `version: 1
runtime:
  # Test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  data_dir: ./data/bench-policy
${redis}providers:
  openai: { type: openai, base_url: "https://api.openai.com/v1" }
endpoints:
  chat:
    targets:
      - { provider: openai, model: gpt-4o-mini }
      - { provider: openai, model: gpt-4o }
    allow: { groups: [eng] }
${limits.endpoint}principals:
  alice: { groups: [eng]${limits.principal} }
keys:
  - { sha256: ${sha256Hex(key)}, principal: alice }
${limits.rest}`;
}

const silentEvents: EventPublisher = {
  publish: () => undefined,
  flush: async () => undefined,
  close: async () => undefined,
};

async function policyApp(yaml: string, limitStore: 'memory' | 'config') {
  const logger = createLogger({ service: 'policy-bench' });
  const config = new StaticConfigSource(parseConfig(yaml, 'bench.yaml', {}));
  const policy: DynamicModule = PolicyModule.register({ limitStore });
  @Module({ imports: [RuntimeModule.forRoot({ config, events: silentEvents, logger }), policy] })
  class BenchHostModule {}
  const app = await NestFactory.createApplicationContext(BenchHostModule, { logger: false });
  return { app, logger };
}

/** The ingress hashes the presented key before it asks the policy service. */
const keySha256 = sha256Hex(key);

function request(index: number): AuthorizeRequest {
  return {
    requestId: `bench-${index}`,
    traceId: 'bench',
    credentialSha256: keySha256,
    bearerToken: '',
    endpoint: 'chat',
    operation: 'chat.completions',
    tags: { team: 'search' },
    estimatedPromptTokens: 250,
    promptTokensUpperBound: 0,
    maxOutputTokens: 256,
    stream: false,
  };
}

interface Measured {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
  readonly cpuMicros: number;
}

/**
 * Times `call` one at a time for `runMs`, after 2,000 warm-up calls: latency p50/p99 and this
 * process's CPU per call. `after` runs off the clock with the call's result.
 */
async function timeCalls<T>(
  call: () => Promise<T>,
  after: (result: T) => Promise<unknown> = () => Promise.resolve(),
): Promise<Measured> {
  let cpuMicros = 0;
  const once = async (): Promise<number> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await call();
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
    await after(result);
    return elapsed;
  };
  for (let i = 0; i < 2_000; i++) await once();
  cpuMicros = 0;
  const samples: number[] = [];
  const started = performance.now();
  while (performance.now() - started < runMs) samples.push(await once());
  return {
    ...latencySummary(samples),
    count: samples.length,
    cpuMicros: cpuMicros / samples.length,
  };
}

/** Authorize decisions, each settled afterwards off the clock as the ingress does. */
function measure(
  authorize: (request: AuthorizeRequest) => Promise<AuthorizeResponse>,
  settle: (request: SettleRequest) => Promise<unknown>,
): Promise<Measured> {
  let index = 0;
  return timeCalls(
    () => authorize(request(index++)),
    async (response) => {
      if (response.outcome !== AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED) {
        throw new Error(`bench request was not allowed: ${response.outcome} ${response.reason}`);
      }
      await settle({
        requestId: '',
        reservation: response.reservation,
        outcome: SettleOutcome.SETTLE_OUTCOME_COMPLETED,
        promptTokens: 240,
        completionTokens: 120,
        costUsd: '0.00012',
      });
    },
  );
}

/**
 * A bare round trip timed the same way: the floor under a decision's latency on this machine
 * (a busy machine delays every wake-up on a reply).
 */
function measureFloor(call: () => Promise<unknown>): Promise<Measured> {
  return timeCalls(call);
}

async function redisPingFloor(name: string): Promise<Row> {
  const redis = new Redis(redisUrl);
  try {
    return { name, ...(await measureFloor(() => redis.ping())) };
  } finally {
    redis.disconnect();
  }
}

/** The standard health check over the same transport (channel options, server, middleware). */
async function grpcHealthFloor(name: string): Promise<Row> {
  const host = new GrpcServerHost(createLogger({ service: 'policy-bench' }));
  const port = await host.start('127.0.0.1:0');
  const channel = createServiceChannel(`127.0.0.1:${port}`);
  try {
    const client = createServiceClient(HealthDefinition, channel);
    return { name, ...(await measureFloor(() => client.check({ service: '' }))) };
  } finally {
    channel.close();
    await host.stop(1000);
  }
}

interface Row {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
  /** CPU this process used per decision (both ends, for the gRPC row), in microseconds. */
  readonly cpuMicros: number;
  readonly target?: number;
}

async function inProcess(name: string, yaml: string, store: 'memory' | 'config'): Promise<Row> {
  const { app } = await policyApp(yaml, store);
  try {
    const decider = app.get(PolicyDecider);
    return {
      name,
      ...(await measure(
        (r) => decider.authorize(r),
        (r) => decider.settle(r),
      )),
    };
  } finally {
    await app.close();
  }
}

async function overGrpc(name: string, yaml: string): Promise<Row> {
  const { app, logger } = await policyApp(yaml, 'config');
  const host = new GrpcServerHost(logger);
  host.add(
    PolicyServiceDefinition,
    policyGrpcImplementation(app.get(PolicyDecider), app.get(ApiKeyService)),
    PolicyServiceDefinition.fullName,
  );
  const port = await host.start('127.0.0.1:0');
  const channel = createServiceChannel(`127.0.0.1:${port}`);
  try {
    const client = createServiceClient(PolicyServiceDefinition, channel);
    return {
      name,
      ...(await measure(
        (r) => client.authorize(r),
        (r) => client.settle(r),
      )),
    };
  } finally {
    channel.close();
    await host.stop(1000);
    await app.close();
  }
}

function format(rows: readonly Row[]): string[] {
  const cells = [
    ['policy decision', 'p50 (ms)', 'p99 (ms)', 'CPU/decision (µs)', 'calls', 'target p99'],
    ...rows.map((row) => [
      row.name,
      row.p50.toFixed(3),
      row.p99.toFixed(3),
      row.cpuMicros.toFixed(0),
      String(row.count),
      row.target === undefined
        ? '–'
        : `≤ ${row.target} ms: ${row.p99 <= row.target ? 'met' : 'MISSED'}`,
    ]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((r) => r[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    line(cells[0]!),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ];
}

/**
 * Policy decision latency (authenticate, allow-list, route plan, and every rate limit and
 * budget checked and reserved in one step), one call at a time: in-process with the in-memory
 * limiter (standalone) and with Redis on loopback, then over gRPC on loopback with Redis
 * (cluster). Events are discarded, so only the decision is measured.
 */
async function main(): Promise<void> {
  process.env['AIGW_LOG_LEVEL'] ??= 'warn';
  const prefix = `aigw-bench-${randomUUID()}:`;
  const rows: Row[] = [];
  const run = async (name: string, measureRow: (name: string) => Promise<Row>, target?: number) => {
    if (!name.includes(onlyRows)) return;
    rows.push(
      target === undefined ? await measureRow(name) : { ...(await measureRow(name)), target },
    );
  };
  await run('in-process, no limits', (name) =>
    inProcess(name, configYaml(false, undefined), 'memory'),
  );
  await run(
    'in-process, in-memory limiter (standalone)',
    (name) => inProcess(name, configYaml(true, undefined), 'memory'),
    targets.standaloneP99,
  );
  await run('in-process, Redis limiter', (name) =>
    inProcess(name, configYaml(true, prefix), 'config'),
  );
  await run('floor: Redis PING, no decision', redisPingFloor);
  await run('floor: gRPC health check on loopback, no decision', grpcHealthFloor);
  await run('gRPC loopback, no limits', (name) => overGrpc(name, configYaml(false, undefined)));
  await run(
    'gRPC loopback, Redis limiter (cluster)',
    (name) => overGrpc(name, configYaml(true, prefix)),
    targets.redisP99,
  );
  const [load1] = loadavg();
  console.log('policy bench: Authorize with 11 limits and budgets per decision (1 connection)');
  console.log(
    `machine: ${cpus().length} cores, load average ${load1!.toFixed(1)} (a busy machine inflates p99)`,
  );
  for (const line of format(rows)) console.log(line);
  const missed = rows.filter((row) => row.target !== undefined && row.p99 > row.target);
  if (missed.length > 0) console.log(`missed: ${missed.map((row) => row.name).join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
