import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

/**
 * SIGTERM while requests and streams are in flight: they all finish, new connections are
 * refused, the process exits 0 within its grace period, and no event is lost: after a restart on
 * the same data directory every request has its completed row.
 */
describe('graceful shutdown (SIGTERM) of the standalone gateway', () => {
  let upstream: OpenAiMock;
  let dataDir: string;
  let configPath: string;
  let baseUrl: string;
  let gateway: RunningProcess | undefined;
  const run = `graceful-${Date.now().toString(36)}`;
  const env = (): Record<string, string> => ({
    AIGW_CONFIG: configPath,
    E2E_UPSTREAM_KEY: upstreamKey,
    AIGW_SHUTDOWN_GRACE_MS: '15000',
    AIGW_LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    // Each stream takes ~2 s: 40 chunks 50 ms apart.
    upstream = await startOpenAiMock({
      apiKey: upstreamKey,
      defaultLatencyMs: 1500,
      streamChunkIntervalMs: 50,
      reply: () => Array.from({ length: 38 }, (_, index) => `w${index}`).join(' '),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-graceful-'));
    const port = await freePort();
    configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort: port,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
      }),
    );
    baseUrl = `http://127.0.0.1:${port}`;
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', env());
    await waitForHttp(`${baseUrl}/readyz`, 60_000);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes in-flight requests and streams, then exits 0 with every event kept', async () => {
    const client = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: testKeys.alice,
      maxRetries: 0,
      defaultHeaders: { 'x-aigw-tags': `run=${run}` },
    });
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const requestIds: string[] = [];
    const plain = Array.from({ length: 4 }, async () => {
      const { data, response } = await client.chat.completions
        .create({ model: 'chat', messages })
        .withResponse();
      requestIds.push(response.headers.get('x-request-id')!);
      return data.choices[0]!.message.content ?? '';
    });
    const streamed = Array.from({ length: 4 }, async () => {
      const { data, response } = await client.chat.completions
        .create({ model: 'chat', messages, stream: true })
        .withResponse();
      requestIds.push(response.headers.get('x-request-id')!);
      let text = '';
      let finished = false;
      for await (const chunk of data) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.choices[0]?.finish_reason) finished = true;
      }
      return { text, finished };
    });
    // Every request has reached the upstream (which holds them for 1.5 s) before SIGTERM.
    await eventually('8 requests at the upstream', () =>
      Promise.resolve(upstream.requests.length >= 8 ? true : undefined),
    );
    const exited = new Promise<number | null>((resolve) =>
      gateway!.child.once('exit', (code) => resolve(code)),
    );
    gateway!.child.kill('SIGTERM');
    await eventually('the gateway to start draining', () =>
      Promise.resolve(gateway!.output().includes('"msg":"shutting down"') ? true : undefined),
    );
    // Draining: a new connection is refused or told 503, never served half-way.
    const late = await fetch(`${baseUrl}/v1/models`, {
      headers: { authorization: `Bearer ${testKeys.alice}` },
    }).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);

    const expectedText = Array.from({ length: 38 }, (_, index) => `w${index}`).join(' ');
    for (const text of await Promise.all(plain)) expect(text).toBe(expectedText);
    for (const result of await Promise.all(streamed)) {
      expect(result).toEqual({ text: expectedText, finished: true });
    }
    expect(await exited, gateway!.output().slice(-3000)).toBe(0);
    expect(gateway!.output()).not.toContain('shutdown grace period exceeded');

    // Restart on the same data: the events written before exit are all there.
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', env());
    await waitForHttp(`${baseUrl}/readyz`, 60_000);
    const rows = await eventually('completed rows of the drained requests', async () => {
      const found = await adminSql<{ request_id: string; status: number }>(
        baseUrl,
        testKeys.admin,
        `SELECT request_id, status FROM requests FINAL WHERE tags['run'] = '${run}'`,
      );
      return found.length >= 8 ? found : undefined;
    });
    expect(rows.map((row) => row.request_id).sort()).toEqual([...requestIds].sort());
    expect(new Set(rows.map((row) => Number(row.status)))).toEqual(new Set([200]));
  }, 120_000);
});
