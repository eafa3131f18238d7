import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { sha256, testKeys } from './support/gateway-keys';
import {
  assertKafkaReachable,
  kafkaBrokers,
  type ReadEvent,
  readTopicUntil,
} from './support/kafka-reader';

const runTag = `limits-${Date.now().toString(36)}`;
const upstreamKey = 'sk-e2e-limits-upstream';
const rpmLimit = 25;
const rpmClients = 200;
const budgetClients = 500;
// Worst case per budgeted request: 100 max_tokens × $1 per 1M output tokens (input is free).
// The mock echoes a long prompt cut at max_tokens, so each call costs exactly its worst case
// and settling frees nothing: the admitted count does not depend on timing.
const worstCaseNanoUsd = 100_000;
const longPrompt = 'budget '.repeat(200);
const budgetUsd = '0.005';
const budgetNanoUsd = 5_000_000;

function configYaml(options: {
  httpPort: number;
  dataDir: string;
  upstream: string;
  redisPort: number;
  policyPorts: number[];
  routerPort: number;
  otherPorts: number[];
}): string {
  return `version: 1
runtime:
  http: { host: 127.0.0.1, port: ${options.httpPort} }
  data_dir: ${options.dataDir}
  egress: { allow_private: [127.0.0.1] }
  kafka: { brokers: ${kafkaBrokers.join(',')} }
  redis: { url: "redis://127.0.0.1:${options.redisPort}", key_prefix: "${runTag}:" }
  services:
    policy: ${options.policyPorts.map((port) => `127.0.0.1:${port}`).join(',')}
    provider_router: 127.0.0.1:${options.routerPort}
    guardrail_judge: 127.0.0.1:${options.otherPorts[0]}
    mcp_broker: 127.0.0.1:${options.otherPorts[1]}
    analytics_sink: 127.0.0.1:${options.otherPorts[2]}
providers:
  upstream:
    type: openai
    base_url: ${options.upstream}
    api_key: \${E2E_UPSTREAM_KEY}
endpoints:
  per-minute:
    targets: [{ provider: upstream, model: gpt-4o-mini }]
    allow: { groups: [eng] }
    limits: { requests_per_minute: ${rpmLimit} }
  tokens:
    targets: [{ provider: upstream, model: gpt-4o-mini }]
    allow: { groups: [eng] }
    limits: { tokens_per_minute: 1000 }
  budgeted:
    targets:
      - provider: upstream
        model: budget-model
        price: { input: "0", output: "1.00" }
    allow: { groups: [eng] }
  # Budgeted requests that name no max_tokens: the budget reserves default_max_tokens.
  budgeted-default:
    targets:
      - provider: upstream
        model: budget-model
        price: { input: "0", output: "1.00" }
    allow: { groups: [eng] }
    default_max_tokens: 100
  closed:
    targets: [{ provider: upstream, model: gpt-4o-mini }]
    allow: { groups: [eng] }
    limits: { requests_per_minute: 1000 }
  open:
    targets: [{ provider: upstream, model: gpt-4o-mini }]
    allow: { groups: [eng] }
    limits: { requests_per_minute: 1000 }
    fail_mode: open
principals:
  alice: { kind: user, groups: [eng] }
keys:
  - { sha256: ${sha256(testKeys.alice)}, principal: alice }
budgets:
  - { scope: tag, tag: phase, value: budgeted, period: day, usd: "${budgetUsd}" }
  - { scope: tag, tag: phase, value: budgeted-default, period: day, usd: "0.002" }
`;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

describe('rate limits and budgets in cluster mode (two policy replicas, real Redis)', () => {
  let upstream: OpenAiMock;
  let dataDir: string;
  let redisServer: ChildProcess;
  let redis: Redis;
  let ingressUrls: string[] = [];
  const processes = new Map<string, RunningProcess>();
  const outputs = (): string =>
    [...processes.values()].map((p) => `--- ${p.name}\n${p.output()}`).join('\n');

  beforeAll(async () => {
    await assertKafkaReachable();
    // This file's own Redis: the fail-mode test stops it, and others share 127.0.0.1:6379.
    const redisPort = await freePort();
    redisServer = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    redis = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true });
    // The fail-mode test stops this Redis; the test's own client just stays disconnected.
    redis.on('error', () => undefined);
    await eventually('redis-server', async () =>
      (await redis.ping()) === 'PONG' ? true : undefined,
    );
    // A little upstream latency keeps requests in flight while others are decided.
    upstream = await startOpenAiMock({ apiKey: upstreamKey, defaultLatencyMs: 200 });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-limits-'));
    const policyPorts = [await freePort(), await freePort()];
    const common = {
      dataDir: join(dataDir, 'data'),
      upstream: upstream.baseUrl,
      redisPort,
      policyPorts,
      routerPort: await freePort(),
      otherPorts: [await freePort(), await freePort(), await freePort()],
    };
    const httpPorts = [await freePort(), await freePort()];
    const configs = httpPorts.map((httpPort, index) => {
      const path = join(dataDir, `aigw-${index}.yaml`);
      writeFileSync(path, configYaml({ ...common, httpPort }));
      return path;
    });
    const env = { AIGW_CONFIG: configs[0]!, E2E_UPSTREAM_KEY: upstreamKey };
    policyPorts.forEach((port, index) => {
      const name = `policy-${index}`;
      processes.set(
        name,
        startNodeProcess(name, 'services/policy/dist/main.js', {
          ...env,
          AIGW_GRPC_BIND: `127.0.0.1:${port}`,
          AIGW_INSTANCE_ID: `${name}-${runTag}`,
        }),
      );
    });
    processes.set(
      'provider-router',
      startNodeProcess('provider-router', 'services/provider-router/dist/main.js', env),
    );
    httpPorts.forEach((_, index) => {
      const name = `ingress-${index}`;
      processes.set(
        name,
        startNodeProcess(name, 'services/ingress/dist/main.js', {
          ...env,
          AIGW_CONFIG: configs[index]!,
        }),
      );
    });
    ingressUrls = httpPorts.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(
      ingressUrls.map((url) =>
        waitForHttp(`${url}/readyz`, 90_000).catch((error: unknown) => {
          throw new Error(`ingress did not start: ${String(error)}\n${outputs()}`);
        }),
      ),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await upstream?.close();
    redis?.disconnect();
    if (redisServer && redisServer.exitCode === null) {
      redisServer.kill('SIGTERM');
      await once(redisServer, 'exit');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** One chat call through ingress `index % 2`, tagged with this run. */
  const chat = async (
    index: number,
    endpoint: string,
    extra: Record<string, unknown> = {},
  ): Promise<Answer> => {
    const response = await fetch(
      `${ingressUrls[index % ingressUrls.length]!}/v1/chat/completions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${testKeys.alice}`,
          'content-type': 'application/json',
          'x-aigw-tags': `run=${runTag},phase=${endpoint}`,
        },
        body: JSON.stringify({
          model: endpoint,
          messages: [{ role: 'user', content: 'hi' }],
          ...extra,
        }),
      },
    );
    const text = await response.text();
    let body: Record<string, unknown> = {};
    if (!extra['stream']) body = JSON.parse(text) as Record<string, unknown>;
    return { status: response.status, headers: response.headers, body };
  };

  const policyDecisions = (topic: string, phase: string, count: number) =>
    readTopicUntil(
      topic,
      (event: ReadEvent) =>
        event.value['type'] === 'policy.decided' &&
        (event.value['tags'] as Record<string, string> | undefined)?.['run'] === runTag &&
        (event.value['tags'] as Record<string, string>)['phase'] === phase,
      (events) => events.length >= count,
    );

  it('admits exactly N of 200 concurrent clients against N requests per minute, over two replicas', async () => {
    const answers = await Promise.all(
      Array.from({ length: rpmClients }, (_, index) => chat(index, 'per-minute')),
    );

    const admitted = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(admitted, outputs()).toHaveLength(rpmLimit);
    expect(refused).toHaveLength(rpmClients - rpmLimit);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({
        error: { type: 'rate_limit_error', code: 'rate_limited' },
      });
      expect(String((answer.body['error'] as { message: string }).message)).toContain(
        'endpoint:per-minute',
      );
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(answer.headers.get('x-ratelimit-limit-requests')).toBe(String(rpmLimit));
      expect(answer.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(answer.headers.get('x-ratelimit-reset-requests')).toMatch(/^[\d.hms]+$/);
    }
    // Admitted answers carry the headers too, with what is left.
    const remaining = admitted.map((answer) =>
      Number(answer.headers.get('x-ratelimit-remaining-requests')),
    );
    expect(remaining.sort((a, b) => a - b)).toEqual(
      Array.from({ length: rpmLimit }, (_, index) => index),
    );

    // The Anthropic Messages API refuses in its own error shape, with the same headers.
    const messages = await fetch(`${ingressUrls[0]!}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': testKeys.alice,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
        'x-aigw-tags': `run=${runTag},phase=messages`,
      },
      body: JSON.stringify({
        model: 'per-minute',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(messages.status).toBe(429);
    expect(await messages.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
    expect(messages.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(Number(messages.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // The decision and the limit that fired are on the audit topic.
    const decisions = await policyDecisions('aigw.audit.v1', 'per-minute', rpmClients);
    const limited = decisions.filter(
      (event) =>
        (event.value['policyDecided'] as Record<string, unknown>)['decision'] === 'rate_limited',
    );
    expect(limited).toHaveLength(rpmClients - rpmLimit);
    expect(limited[0]!.value['policyDecided']).toMatchObject({
      limitMetric: 'requests_per_minute',
      limitScope: 'endpoint:per-minute',
      limitValue: rpmLimit,
    });
  }, 120_000);

  it('never lets 500 concurrent requests spend past a dollar budget (overshoot 0)', async () => {
    const answers = await Promise.all(
      Array.from({ length: budgetClients }, (_, index) =>
        chat(index, 'budgeted', {
          max_tokens: 100,
          messages: [{ role: 'user', content: longPrompt }],
        }),
      ),
    );

    const admitted = answers.filter((answer) => answer.status === 200).length;
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    // Every admitted request reserved its worst case.
    expect(admitted, outputs()).toBe(budgetNanoUsd / worstCaseNanoUsd);

    // Spend as recorded: every completed request's cost, from the lifecycle events.
    const completed = await readTopicUntil(
      'aigw.lifecycle.v1',
      (event) =>
        event.value['type'] === 'request.completed' &&
        (event.value['tags'] as Record<string, string> | undefined)?.['run'] === runTag &&
        (event.value['tags'] as Record<string, string>)['phase'] === 'budgeted',
      (events) => events.length >= admitted,
    );
    const spentNano = completed
      .map((event) => (event.value['requestCompleted'] as { costUsd: string }).costUsd)
      .reduce((sum, usd) => sum + Math.round(Number(usd) * 1e9), 0);
    expect(spentNano).toBe(admitted * worstCaseNanoUsd);
    expect(spentNano).toBeLessThanOrEqual(budgetNanoUsd);

    // Once every settle arrived, the shared budget counter holds exactly the recorded spend.
    const day = new Date().toISOString().slice(0, 10);
    const counter = `${runTag}:limits:usd-day:tag:phase=budgeted:${day}`;
    await eventually('budget settled', async () => {
      const [total, pending] = await redis.hmget(counter, '_total', '_pending');
      return Number(pending) === 0 && Number(total) === spentNano ? true : undefined;
    });
  }, 120_000);

  it('caps answers of requests without max_tokens at what the budget reserved, so it is never overrun', async () => {
    // The echo of the long prompt is ~350 tokens: uncapped, each call would cost 3.5× what
    // the budget reserved for it (default_max_tokens 100).
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        chat(index, 'budgeted-default', { messages: [{ role: 'user', content: longPrompt }] }),
      ),
    );
    const admitted = answers.filter((answer) => answer.status === 200);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    expect(admitted.length, outputs()).toBe(2_000_000 / worstCaseNanoUsd);
    for (const answer of admitted) {
      expect(answer.body).toMatchObject({
        choices: [{ finish_reason: 'length' }],
        usage: { completion_tokens: 100 },
      });
    }
    const sent = upstream
      .chatRequests()
      .filter((request) => request.messages.at(-1)?.content === longPrompt && !request.max_tokens);
    expect(sent.length).toBe(admitted.length);
    for (const request of sent) expect(request.max_completion_tokens).toBe(100);

    const completed = await readTopicUntil(
      'aigw.lifecycle.v1',
      (event) =>
        event.value['type'] === 'request.completed' &&
        (event.value['tags'] as Record<string, string> | undefined)?.['run'] === runTag &&
        (event.value['tags'] as Record<string, string>)['phase'] === 'budgeted-default',
      (events) => events.length >= admitted.length,
    );
    const spentNano = completed
      .map((event) => (event.value['requestCompleted'] as { costUsd: string }).costUsd)
      .reduce((sum, usd) => sum + Math.round(Number(usd) * 1e9), 0);
    expect(spentNano).toBe(2_000_000);
  }, 120_000);

  it('settles a stream to its actual tokens, freeing the tokens-per-minute it reserved', async () => {
    // 600 reserved of 1000: a second such request does not fit until the first settles.
    const first = await chat(0, 'tokens', {
      max_tokens: 600,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('1000');

    const second = await eventually('tokens freed by the settle', async () => {
      const answer = await chat(1, 'tokens', { max_tokens: 600 });
      return answer.status === 200 ? answer : undefined;
    });
    expect(Number(second.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1000 - 600);
  }, 60_000);

  it('applies each endpoint fail_mode when Redis is down, and records which', async () => {
    redisServer.kill('SIGTERM');
    await once(redisServer, 'exit');

    const closed = await chat(0, 'closed');
    const open = await chat(1, 'open');

    expect(closed.status, outputs()).toBe(503);
    expect(closed.body).toMatchObject({ error: { code: 'service_unavailable' } });
    expect(Number(closed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(open.status).toBe(200);

    const [closedDecision] = await policyDecisions('aigw.audit.v1', 'closed', 1);
    const [openDecision] = await policyDecisions('aigw.audit.v1', 'open', 1);
    expect(closedDecision!.value['policyDecided']).toMatchObject({
      decision: 'limits_unavailable',
      failMode: 'fail_closed',
    });
    expect(openDecision!.value['policyDecided']).toMatchObject({
      decision: 'allowed',
      failMode: 'fail_open',
    });
  }, 60_000);
});
