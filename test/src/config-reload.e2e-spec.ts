import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import {
  type GatewayConfigOptions,
  gatewayConfigYaml,
  upstreamKey,
} from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

const freshEndpoint = `  fresh:
    targets:
      - provider: mock
        model: mock-fresh
    allow:
      groups: [eng]
`;

interface ConfigChangedRow {
  readonly outcome: string;
  readonly error_count: number;
  readonly errors: string[];
}

describe('config hot reload (standalone gateway)', () => {
  let upstream: OpenAiMock;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dir: string;
  let configPath: string;
  let options: GatewayConfigOptions;

  const status = async (model: string): Promise<number> =>
    (
      await fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testKeys.alice}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      })
    ).status;

  const configChanges = (): Promise<ConfigChangedRow[]> =>
    adminSql<ConfigChangedRow>(
      baseUrl,
      testKeys.admin,
      `SELECT JSONExtractString(payload, 'configChanged', 'outcome') AS outcome,
              JSONExtractUInt(payload, 'configChanged', 'errorCount') AS error_count,
              JSONExtract(payload, 'configChanged', 'errors', 'Array(String)') AS errors
       FROM events FINAL WHERE type = 'config.changed' ORDER BY occurred_at`,
    );

  beforeAll(async () => {
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    dir = mkdtempSync(join(tmpdir(), 'aigw-reload-'));
    options = {
      httpPort: await freePort(),
      dataDir: join(dir, 'data'),
      upstreamBaseUrl: upstream.baseUrl,
      deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
    };
    configPath = join(dir, 'aigw.yaml');
    writeFileSync(configPath, gatewayConfigYaml(options));
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: upstreamKey,
    });
    baseUrl = `http://127.0.0.1:${options.httpPort}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000).catch((error: unknown) => {
      throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves an endpoint added to the file, without a restart, and audits the change', async () => {
    expect(await status('fresh')).toBe(404);
    writeFileSync(configPath, gatewayConfigYaml({ ...options, extraEndpointsYaml: freshEndpoint }));
    await eventually('the new endpoint to serve', async () =>
      (await status('fresh')) === 200 ? true : undefined,
    );
    const changes = await eventually('config.changed in ClickHouse', async () => {
      const rows = await configChanges();
      return rows.length > 0 ? rows : undefined;
    });
    expect(changes).toEqual([{ outcome: 'applied', error_count: 0, errors: [] }]);
  });

  it('rejects an invalid file, logs every error path, and keeps serving the config in force', async () => {
    const broken = gatewayConfigYaml({ ...options, extraEndpointsYaml: freshEndpoint })
      .replace('model: mock-fresh', 'model: mock-fresh\n        weight: -1')
      .replace(
        'provider: mock\n        model: mock-strict',
        'provider: nowhere\n        model: mock-strict',
      );
    writeFileSync(configPath, broken);
    const changes = await eventually('the rejection in ClickHouse', async () => {
      const rows = await configChanges();
      return rows.length > 1 ? rows : undefined;
    });
    expect(changes[1]).toMatchObject({ outcome: 'rejected', error_count: 2 });
    expect(changes[1]!.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^endpoints\.fresh\.targets\.0\.weight: /),
        expect.stringMatching(/^endpoints\.strict\.targets\.0\.provider: /),
      ]),
    );
    const log = gateway.output();
    expect(log).toContain('config reload rejected');
    expect(log).toContain('endpoints.fresh.targets.0.weight');
    expect(log).toContain('endpoints.strict.targets.0.provider');
    // The config in force still serves both the old and the reloaded endpoint.
    expect(await status('fresh')).toBe(200);
    expect(await status('strict')).toBe(200);
  });
});
