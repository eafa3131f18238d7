import { lookup } from 'node:dns/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { isInternalAddress } from '@aigw/core';
import { adminSql } from './support/admin-sql';
import {
  eventually,
  runToEnd,
  type RunningProcess,
  startNodeProcess,
} from './support/child-process';
import { upstreamKey } from './support/gateway-config';
import { sha256, testKeys } from './support/gateway-keys';

/**
 * SSRF: provider URLs at internal addresses are refused unless runtime.egress.allow_private
 * lists them, both as literals at config load and as host names after DNS at connect time.
 */
describe('egress to internal addresses (SSRF guard)', () => {
  let upstream: OpenAiMock;
  let gateway: RunningProcess;
  let dataDir: string;
  let baseUrl: string;
  // This machine's own name resolves to a loopback address (/etc/hosts): a public-looking
  // name that points inside, as a rebinding attacker's would. Only `localhost` is allowed, by
  // name, so the same address is reachable through one name and refused through the other.
  const sneakyHost = hostname();
  const run = `egress-${Date.now().toString(36)}`;

  const configYaml = (httpPort: number, upstreamPort: number, allow: string): string => `version: 1
runtime:
  egress:
    allow_private: ${allow}
  http:
    host: 127.0.0.1
    port: ${httpPort}
  data_dir: ${join(dataDir, 'data')}
providers:
  sneaky:
    type: openai
    base_url: http://${sneakyHost}:${upstreamPort}/v1
    api_key: \${E2E_UPSTREAM_KEY}
    retry: { max_attempts: 1 }
    circuit_breaker: { enabled: false }
  allowed:
    type: openai
    base_url: http://localhost:${upstreamPort}/v1
    api_key: \${E2E_UPSTREAM_KEY}
endpoints:
  chat:
    targets:
      - provider: sneaky
        model: gpt-4o-mini
      - provider: allowed
        model: gpt-4o-mini
    allow:
      principals: [alice]
  inside-only:
    targets:
      - provider: sneaky
        model: gpt-4o-mini
    allow:
      principals: [alice]
principals:
  alice:
    groups: [eng]
  admin:
    roles: [admin]
keys:
  - sha256: ${sha256(testKeys.alice)}
    principal: alice
  - sha256: ${sha256(testKeys.admin)}
    principal: admin
`;

  beforeAll(async () => {
    const resolved = await lookup(sneakyHost);
    if (!isInternalAddress(resolved.address)) {
      throw new Error(`this test needs ${sneakyHost} to resolve to an internal address`);
    }
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-egress-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      configYaml(port, Number(new URL(upstream.baseUrl).port), '[localhost]'),
    );
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: upstreamKey,
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const chat = (model: string): Promise<Response> =>
    fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${testKeys.alice}`,
        'content-type': 'application/json',
        'x-aigw-tags': `run=${run}`,
      },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('refuses a host name that resolves inside and falls back to the allowed target', async () => {
    const before = upstream.requests.length;
    const response = await chat('chat');
    expect(response.status).toBe(200);
    // Only the allowed target's call reached the upstream.
    expect(upstream.requests.length - before).toBe(1);
    expect(upstream.requests.at(-1)!.headers.host).toMatch(/^localhost:/);
  });

  it('answers 502 when every target is inside, without reaching it', async () => {
    const before = upstream.requests.length;
    const response = await chat('inside-only');
    expect(response.status).toBe(502);
    const requestId = response.headers.get('x-request-id')!;
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).not.toContain(upstreamKey);
    expect(upstream.requests.length).toBe(before);
    const attempts = await eventually('the refused attempts in ClickHouse', async () => {
      const rows = await adminSql<{ provider: string; error_class: string }>(
        baseUrl,
        testKeys.admin,
        `SELECT JSONExtractString(payload, 'providerAttempted', 'provider') AS provider,
                JSONExtractString(payload, 'providerAttempted', 'errorClass') AS error_class
           FROM events
          WHERE type = 'provider.attempted' AND request_id = '${requestId}'`,
      );
      return rows.length >= 1 ? rows : undefined;
    });
    expect(
      attempts.map((row) => row.provider),
      JSON.stringify(attempts),
    ).toEqual(attempts.map(() => 'sneaky'));
    expect(new Set(attempts.map((row) => row.error_class))).toEqual(new Set(['connection']));
  });

  it('rejects a literal internal provider URL at config load, with its path', async () => {
    const path = join(dataDir, 'metadata.yaml');
    writeFileSync(
      path,
      configYaml(8080, 80, '[]').replace(
        `http://localhost:80/v1`,
        'http://169.254.169.254/latest/meta-data',
      ),
    );
    const result = await runToEnd(
      process.execPath,
      ['services/standalone/bin/aigw.js', 'config', 'validate', path],
      { E2E_UPSTREAM_KEY: upstreamKey },
    );
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).toContain(
      'providers.allowed.base_url: egress to 169.254.169.254 is refused',
    );
  });
});
