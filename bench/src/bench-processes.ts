import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitForHttp } from '@aigw/testing';
import { type BenchChild, startNodeChild } from './child-process';
import { benchConfigYaml } from './gateway-config';

const repoRoot = resolve(__dirname, '../..');
const gatewayScript = join(repoRoot, 'services/standalone/dist/main.js');
const upstreamScript = join(__dirname, 'upstream-process.js');

/** A process serving the OpenAI API: the mock upstream or the gateway in front of it. */
export interface BenchServer {
  readonly child: BenchChild;
  /** Base URL without `/v1`, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
}

/** Starts the OpenAI mock (zero delay) in its own process. */
export async function startUpstream(): Promise<BenchServer & { readonly baseUrl: string }> {
  const child = startNodeChild('upstream mock', upstreamScript, { ipc: true });
  const line = await child.firstLine();
  const { baseUrl } = JSON.parse(line) as { baseUrl: string };
  return { child, baseUrl, origin: new URL(baseUrl).origin };
}

/** A standalone gateway and the temp directory holding its config and data. */
export interface BenchGateway extends BenchServer {
  /** Stops the gateway and removes its temp directory. */
  close(): Promise<void>;
}

/** Writes a temp config pointing at `upstreamBaseUrl` and starts aigw standalone on it. */
export async function startGateway(upstreamBaseUrl: string): Promise<BenchGateway> {
  const directory = await mkdtemp(join(tmpdir(), 'aigw-bench-'));
  const port = await freePort();
  const configPath = join(directory, 'aigw.yaml');
  await writeFile(
    configPath,
    benchConfigYaml({ port, dataDir: join(directory, 'data'), upstreamBaseUrl }),
  );
  const child = startNodeChild('aigw standalone', gatewayScript, {
    env: { AIGW_CONFIG: configPath, AIGW_LOG_LEVEL: 'warn' },
    nodeArgs: gatewayNodeArgs(),
  });
  const close = async (): Promise<void> => {
    await child.stop();
    await rm(directory, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForHttp(`${origin}/readyz`, 60_000), child.unexpectedExit]);
    const ready = await fetch(`${origin}/readyz`);
    await ready.body?.cancel();
    if (ready.status !== 200) throw new Error(`GET /readyz answered ${ready.status}`);
  } catch (error) {
    await close();
    throw error;
  }
  return { child, origin, close };
}

/**
 * Extra node flags for the gateway only, to profile it under load, e.g.
 * `BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/aigw-prof"` (node refuses
 * `--cpu-prof` in NODE_OPTIONS).
 */
export function gatewayNodeArgs(): string[] {
  return (process.env['BENCH_GATEWAY_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
}
