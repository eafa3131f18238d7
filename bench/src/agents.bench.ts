// `npm run bench:agents`: the added latency of one coding-agent turn through aigw. For the
// request shape of each CLI — Claude Code (`POST /v1/messages`: system blocks, a dozen tools, a
// tool_use/tool_result history) and Codex (`POST /v1/responses`: developer messages, function
// tools, function_call/function_call_output items) — it sends the same turn straight to the
// mock upstream and through aigw standalone (key auth, allow list, PII masker, events), JSON
// and streamed, one connection, and prints total latency and time to first byte (TTFT) p50/p99.
// Direct for Codex is the chat request aigw sends upstream (the mock speaks chat completions).
// Mocks, gateway and this load generator each run in their own process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { sha256Hex } from '@aigw/core';
import { responsesRequestSchema, responsesToChatRequest } from '@aigw/llm-api';
import { freePort, startAnthropicMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { gatewayNodeArgs } from './bench-processes';
import { startNodeChild, stopAllChildren } from './child-process';
import { latencySummary } from './percentiles';
import { processCpuMs } from './process-cpu';

const roleVariable = 'AIGW_AGENTS_BENCH_ROLE';
const gatewayKey = 'aigw-agents-bench-key-51ce';
const rounds = 4;
const requestsPerRound = 150;
const warmUpRequests = 100;

interface Target {
  readonly name: string;
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** A streamed answer must contain this, or the request counts as failed. */
  readonly streamMark?: string;
  /** The process answering (mock or gateway), whose CPU time per request is reported. */
  readonly pid: number;
}

interface Sample {
  readonly totalMs: number;
  readonly firstByteMs: number;
}

// ---------- request shapes ----------

function toolSchema(index: number): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      path: { type: 'string', description: `Absolute path the tool ${index} works on.` },
      pattern: { type: 'string', description: 'A glob or regular expression.' },
      limit: { type: 'integer', description: 'Lines or results to return at most.' },
    },
    required: ['path'],
    additionalProperties: false,
  };
}

const systemPrompt =
  'You are an interactive CLI coding agent. Use the tools to read and change files. '.repeat(40);
const email = 'jane.doe@example.com';

/** A Claude Code turn: system blocks, tools, and one earlier tool round trip. */
function claudeCodeBody(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    max_tokens: 32000,
    stream,
    system: [
      { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: systemPrompt, cache_control: { type: 'ephemeral' } },
    ],
    tools: Array.from({ length: 12 }, (_, index) => ({
      name: `Tool${index}`,
      description: `Tool number ${index}: reads or edits files in the workspace.`,
      input_schema: toolSchema(index),
    })),
    messages: [
      { role: 'user', content: [{ type: 'text', text: `Fix the bug reported by ${email}.` }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me read the file.' },
          { type: 'tool_use', id: 'toolu_01', name: 'Tool0', input: { path: '/w/src/app.ts' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01',
            content: 'export function add(a, b) { return a - b; }\n'.repeat(20),
          },
        ],
      },
    ],
    metadata: { user_id: 'bench-user' },
  });
}

/** A Codex turn: developer messages, function tools, and one earlier function call. */
function codexBody(model: string, stream: boolean): Record<string, unknown> {
  return {
    model,
    stream,
    store: false,
    tool_choice: 'auto',
    parallel_tool_calls: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'bench-session',
    tools: Array.from({ length: 8 }, (_, index) => ({
      type: 'function',
      name: `tool_${index}`,
      description: `Tool number ${index}: runs a command in the workspace.`,
      strict: false,
      parameters: toolSchema(index),
    })),
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: systemPrompt }] },
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: `Fix the bug reported by ${email}.` }],
      },
      { type: 'function_call', call_id: 'call_01', name: 'tool_0', arguments: '{"path":"/w"}' },
      {
        type: 'function_call_output',
        call_id: 'call_01',
        output: 'export function add(a, b) { return a - b; }\n'.repeat(20),
      },
    ],
  };
}

// ---------- processes ----------

/** The upstream role: both mocks in this child process; prints their base URLs. */
async function serveUpstreams(): Promise<void> {
  const openAi = await startOpenAiMock({ recordRequests: false });
  const anthropic = await startAnthropicMock({ recordRequests: false });
  const stop = (): void => {
    void Promise.all([openAi.close(), anthropic.close()]).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.stdout.write(
    `${JSON.stringify({ openAi: openAi.baseUrl, anthropic: anthropic.baseUrl })}\n`,
  );
}

function gatewayConfig(port: number, dataDir: string, openAi: string, anthropic: string): string {
  return `version: 1
runtime:
  egress: { allow_private: [127.0.0.1, '::1', localhost] }
  http: { host: 127.0.0.1, port: ${port} }
  data_dir: ${JSON.stringify(dataDir)}
providers:
  openai: { type: openai, base_url: ${openAi} }
  anthropic: { type: anthropic, base_url: ${anthropic} }
endpoints:
  claude-code:
    targets: [{ provider: anthropic, model: claude-sonnet-4-0 }]
    guardrails: { request: [pii] }
    allow: { principals: [bench] }
  codex:
    targets: [{ provider: openai, model: gpt-4o-mini }]
    guardrails: { request: [pii] }
    allow: { principals: [bench] }
principals:
  bench: { kind: service }
keys:
  - { sha256: ${sha256Hex(gatewayKey)}, principal: bench }
guardrails:
  pii: { type: pii, action: mask }
`;
}

// ---------- measuring ----------

async function send(pool: Pool, target: Target): Promise<Sample> {
  const started = process.hrtime.bigint();
  let firstAt: bigint | undefined;
  const { statusCode, body } = await pool.request({
    path: target.path,
    method: 'POST',
    headers: target.headers,
    body: target.body,
  });
  let text = '';
  for await (const chunk of body as AsyncIterable<Buffer>) {
    firstAt ??= process.hrtime.bigint();
    text += chunk.toString('utf8');
  }
  const ended = process.hrtime.bigint();
  if (statusCode !== 200)
    throw new Error(`${target.name}: HTTP ${statusCode} ${text.slice(0, 300)}`);
  if (target.streamMark && !text.includes(target.streamMark)) {
    throw new Error(`${target.name}: stream without ${target.streamMark}`);
  }
  return {
    totalMs: Number(ended - started) / 1e6,
    firstByteMs: Number((firstAt ?? ended) - started) / 1e6,
  };
}

/** Alternating rounds over the targets, one connection each, requests back to back. */
interface Measured {
  readonly samples: Map<string, Sample[]>;
  /** CPU ms the answering process used per request, by target name. */
  readonly cpuPerRequest: Map<string, number>;
}

async function measure(targets: readonly Target[]): Promise<Measured> {
  const pools = new Map(
    targets.map((target) => [target.name, new Pool(target.origin, { connections: 1 })]),
  );
  const samples = new Map<string, Sample[]>(targets.map((target) => [target.name, []]));
  const cpuMs = new Map<string, number>(targets.map((target) => [target.name, 0]));
  try {
    for (const target of targets) {
      for (let index = 0; index < warmUpRequests; index++)
        await send(pools.get(target.name)!, target);
    }
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const cpuBefore = processCpuMs(target.pid) ?? Number.NaN;
        for (let index = 0; index < requestsPerRound; index++) {
          samples.get(target.name)!.push(await send(pools.get(target.name)!, target));
        }
        const cpuAfter = processCpuMs(target.pid) ?? Number.NaN;
        cpuMs.set(target.name, cpuMs.get(target.name)! + cpuAfter - cpuBefore);
      }
    }
  } finally {
    await Promise.all([...pools.values()].map((pool) => pool.close()));
  }
  const cpuPerRequest = new Map(
    [...cpuMs].map(([name, total]) => [name, total / (rounds * requestsPerRound)]),
  );
  return { samples, cpuPerRequest };
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[index]!)))
    .join('  ');
}

function ms(value: number): string {
  return value.toFixed(3);
}

async function main(): Promise<void> {
  if (process.env[roleVariable] === 'upstream') {
    await serveUpstreams();
    return;
  }
  process.stderr.write(`node ${process.version}; starting mocks and aigw…\n`);
  const upstream = startNodeChild('agent mocks', __filename, {
    ipc: true,
    env: { [roleVariable]: 'upstream' },
  });
  const urls = JSON.parse(await upstream.firstLine()) as { openAi: string; anthropic: string };
  const directory = await mkdtemp(join(tmpdir(), 'aigw-agents-bench-'));
  const port = await freePort();
  const configPath = join(directory, 'aigw.yaml');
  await writeFile(
    configPath,
    gatewayConfig(port, join(directory, 'data'), urls.openAi, urls.anthropic),
  );
  const gateway = startNodeChild(
    'aigw standalone',
    resolve(__dirname, '../../services/standalone/dist/main.js'),
    {
      env: { AIGW_CONFIG: configPath, AIGW_LOG_LEVEL: 'warn' },
      nodeArgs: gatewayNodeArgs(),
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForHttp(`${origin}/readyz`, 60_000), gateway.unexpectedExit]);
    const anthropicOrigin = new URL(urls.anthropic).origin;
    const openAiOrigin = new URL(urls.openAi).origin;
    const anthropicHeaders = {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    };
    const pairs: { shape: string; stream: boolean; direct: Target; gateway: Target }[] = [];
    for (const stream of [false, true]) {
      pairs.push({
        shape: 'Claude Code /v1/messages',
        stream,
        direct: {
          name: `claude direct ${stream}`,
          origin: anthropicOrigin,
          pid: upstream.pid,
          path: '/v1/messages',
          headers: { ...anthropicHeaders, 'x-api-key': 'mock' },
          body: claudeCodeBody('claude-sonnet-4-0', stream),
          ...(stream ? { streamMark: 'message_stop' } : {}),
        },
        gateway: {
          name: `claude aigw ${stream}`,
          origin,
          pid: gateway.pid,
          path: '/v1/messages',
          headers: { ...anthropicHeaders, 'x-api-key': gatewayKey },
          body: claudeCodeBody('claude-code', stream),
          ...(stream ? { streamMark: 'message_stop' } : {}),
        },
      });
      const chat = responsesToChatRequest(
        responsesRequestSchema.parse(codexBody('gpt-4o-mini', stream)),
      );
      pairs.push({
        shape: 'Codex /v1/responses',
        stream,
        direct: {
          name: `codex direct ${stream}`,
          origin: openAiOrigin,
          pid: upstream.pid,
          path: '/v1/chat/completions',
          headers: { 'content-type': 'application/json', authorization: 'Bearer mock' },
          body: JSON.stringify(chat),
          ...(stream ? { streamMark: '[DONE]' } : {}),
        },
        gateway: {
          name: `codex aigw ${stream}`,
          origin,
          pid: gateway.pid,
          path: '/v1/responses',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${gatewayKey}` },
          body: JSON.stringify(codexBody('codex', stream)),
          ...(stream ? { streamMark: 'response.completed' } : {}),
        },
      });
    }
    const { samples, cpuPerRequest } = await measure(
      pairs.flatMap((pair) => [pair.direct, pair.gateway]),
    );
    const widths = [34, 10, 10, 10, 10, 10, 10, 13];
    const lines = [
      `Added latency per agent turn, 1 connection, ${rounds * requestsPerRound} requests per target (ms)`,
      `(load average ${loadavg()[0]!.toFixed(1)} at the end; aigw CPU/req: the gateway process's CPU ms per request)`,
      row(
        [
          'shape',
          'direct p50',
          'direct p99',
          'aigw p50',
          'aigw p99',
          'added p50',
          'added p99',
          'aigw CPU/req',
        ],
        widths,
      ),
    ];
    for (const pair of pairs) {
      const metric = pair.stream ? 'firstByteMs' : 'totalMs';
      const direct = latencySummary(samples.get(pair.direct.name)!.map((sample) => sample[metric]));
      const via = latencySummary(samples.get(pair.gateway.name)!.map((sample) => sample[metric]));
      lines.push(
        row(
          [
            `${pair.shape}, ${pair.stream ? 'stream TTFT' : 'JSON total'}`,
            ms(direct.p50),
            ms(direct.p99),
            ms(via.p50),
            ms(via.p99),
            ms(via.p50 - direct.p50),
            ms(via.p99 - direct.p99),
            ms(cpuPerRequest.get(pair.gateway.name)!),
          ],
          widths,
        ),
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await gateway.stop();
    await upstream.stop();
    await stopAllChildren();
    await rm(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `agents bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  void stopAllChildren().finally(() => process.exit(1));
});
