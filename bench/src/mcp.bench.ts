import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { freePort, waitForHttp } from '@aigw/testing';
import { startNodeChild, stopAllChildren } from './child-process';
import { latencySummary } from './percentiles';
import { processCpuMs } from './process-cpu';

const repoRoot = resolve(__dirname, '../..');
const benchKey = 'aigw-bench-mcp-key-0001';
const warmUpCalls = 300;
const measuredCalls = Number(process.env['BENCH_MCP_CALLS'] ?? 3000);
/** The gateway's budget for a tools/call at c=1, in ms over calling the server directly. */
const addedTargetP50Ms = 2;

function configYaml(port: number, dataDir: string, upstreamUrl: string): string {
  const hash = createHash('sha256').update(benchKey).digest('hex');
  return `version: 1
runtime:
  # Test upstreams listen on loopback, which egress refuses unless allowed.
  egress:
    allow_private: [127.0.0.1, '::1', localhost]
  http: { host: 127.0.0.1, port: ${port} }
  data_dir: ${dataDir}
principals:
  bench: { kind: service, groups: [bench] }
keys:
  - { sha256: ${hash}, principal: bench }
mcp:
  connections:
    bench:
      url: ${upstreamUrl}
      allow: { groups: [bench] }
      tools: { deny: [never-*] }
`;
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'aigw-bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

/** Sequential tools/call latencies (c=1), in ms. */
async function measure(client: Client, calls: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < calls; index++) {
    const started = performance.now();
    const result = await client.callTool({ name: 'add', arguments: { a: index, b: 1 } });
    samples.push(performance.now() - started);
    const text = (result.content as { text?: string }[])[0]?.text;
    if (text !== String(index + 1)) throw new Error(`wrong answer: ${JSON.stringify(result)}`);
  }
  return samples;
}

const ms = (value: number): string => value.toFixed(3);

/**
 * CPU time of a process's main thread (the event loop: HTTP, auth, broker, MCP client, event
 * encoding) in ms, without its other threads (libuv pool, chDB's insert and merge threads);
 * undefined where there is no procfs.
 */
function mainThreadCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in USER_HZ (100 per second on mainstream Linux builds).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * MCP `tools/call` latency at one connection: straight to an MCP server, and through aigw
 * standalone (auth, connection and tool permissions, mcp.called event) to the same server.
 */
async function main(): Promise<void> {
  const upstream = startNodeChild('mcp upstream', join(__dirname, 'mcp-upstream-process.js'), {
    ipc: true,
  });
  const { url } = JSON.parse(await upstream.firstLine()) as { url: string };
  const directory = await mkdtemp(join(tmpdir(), 'aigw-bench-mcp-'));
  const port = await freePort();
  const configPath = join(directory, 'aigw.yaml');
  await writeFile(configPath, configYaml(port, join(directory, 'data'), url));
  const gateway = startNodeChild(
    'aigw standalone',
    join(repoRoot, 'services/standalone/dist/main.js'),
    {
      env: { AIGW_CONFIG: configPath, AIGW_LOG_LEVEL: 'warn' },
      // e.g. BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/aigw-prof"
      nodeArgs: (process.env['BENCH_GATEWAY_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean),
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForHttp(`${origin}/readyz`, 60_000), gateway.unexpectedExit]);
    const direct = await connect(url);
    const viaGateway = await connect(`${origin}/mcp/bench`, {
      authorization: `Bearer ${benchKey}`,
    });
    await measure(direct, warmUpCalls);
    await measure(viaGateway, warmUpCalls);
    // Interleaved halves, so drift on a shared machine hits both alike.
    const half = Math.ceil(measuredCalls / 2);
    const directSamples = [...(await measure(direct, half))];
    // CPU the gateway process spends per call: steadier than latency on a busy machine.
    const cpuBefore = processCpuMs(gateway.pid);
    const mainBefore = mainThreadCpuMs(gateway.pid);
    const gatewaySamples = [...(await measure(viaGateway, half))];
    const cpuAfter = processCpuMs(gateway.pid);
    const mainAfter = mainThreadCpuMs(gateway.pid);
    directSamples.push(...(await measure(direct, half)));
    gatewaySamples.push(...(await measure(viaGateway, half)));
    const gatewayCpuPerCall =
      cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / half : undefined;
    const mainThreadCpuPerCall =
      mainBefore !== undefined && mainAfter !== undefined
        ? (mainAfter - mainBefore) / half
        : undefined;
    const directLatency = latencySummary(directSamples);
    const gatewayLatency = latencySummary(gatewaySamples);
    const added = {
      p50: gatewayLatency.p50 - directLatency.p50,
      p99: gatewayLatency.p99 - directLatency.p99,
    };
    console.log(`MCP bench: tools/call at c=1, ${directSamples.length} calls per target`);
    console.table([
      {
        target: 'direct (MCP server)',
        'p50 (ms)': ms(directLatency.p50),
        'p99 (ms)': ms(directLatency.p99),
      },
      {
        target: 'via aigw /mcp/bench',
        'p50 (ms)': ms(gatewayLatency.p50),
        'p99 (ms)': ms(gatewayLatency.p99),
      },
      { target: 'added by aigw', 'p50 (ms)': ms(added.p50), 'p99 (ms)': ms(added.p99) },
    ]);
    if (gatewayCpuPerCall !== undefined) {
      console.log(`aigw process CPU per tools/call: ${ms(gatewayCpuPerCall)} ms`);
    }
    if (mainThreadCpuPerCall !== undefined) {
      console.log(
        `aigw main-thread CPU per tools/call: ${ms(mainThreadCpuPerCall)} ms ` +
          '(the rest is other threads: libuv pool, chDB inserts and merges)',
      );
    }
    console.log(
      `added p50 ${ms(added.p50)} ms (target <= ${addedTargetP50Ms} ms): ${added.p50 <= addedTargetP50Ms ? 'met' : 'MISSED'}`,
    );
    await direct.close();
    await viaGateway.close();
  } finally {
    await gateway.stop();
    await upstream.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

main()
  .catch(async (error: unknown) => {
    console.error(error);
    await stopAllChildren();
    process.exit(1);
  })
  .finally(() => process.exit(process.exitCode ?? 0));
