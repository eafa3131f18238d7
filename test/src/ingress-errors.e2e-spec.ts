import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

interface ErrorBody {
  error: { message: string; type: string; code: string | null };
}

describe('bad input gets OpenAI error JSON, is recorded, and the gateway keeps serving', () => {
  let gateway: RunningProcess;
  let baseUrl: string;
  let dataDir: string;
  const run = `bad-${Date.now().toString(36)}`;
  const headers = {
    authorization: `Bearer ${testKeys.alice}`,
    'content-type': 'application/json',
    'x-aigw-tags': `run=${run}`,
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-badinput-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort: port,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
      }),
    );
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: 'unused',
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000);
  });

  afterAll(async () => {
    await gateway?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (body: string, extra: Record<string, string> = {}): Promise<Response> =>
    fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...headers, ...extra },
      body,
    });

  it('malformed JSON → 400 invalid_json, recorded as a failed request', async () => {
    const response = await post('{"model": "chat", "messages": [');
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a body over the limit → 413, answered before the body is read', async () => {
    // The gateway answers as soon as it sees the declared length and closes the connection, so
    // a client still uploading may get EPIPE; a raw request that only declares the size reads
    // the answer reliably.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        `${baseUrl}/v1/chat/completions`,
        { method: 'POST', headers: { ...headers, 'content-length': String(5 * 1024 * 1024) } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.write('{"model":"chat","messages":[');
    });
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as ErrorBody).error.code).toBe('body_too_large');
  });

  it('a non-JSON body → 400, wrong method → 404/405, as OpenAI errors', async () => {
    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(((await text.json()) as ErrorBody).error.type).toBe('invalid_request_error');
    const get = await fetch(`${baseUrl}/v1/chat/completions`, { headers });
    expect([404, 405]).toContain(get.status);
    expect(((await get.json()) as ErrorBody).error).toBeDefined();
  });

  it('prototype-poisoning JSON is refused without effect', async () => {
    const response = await post(
      '{"model":"chat","messages":[{"role":"user","content":"x"}],"__proto__":{"admin":true}}',
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_json');
  });

  it('every refused chat request above has a requests row', async () => {
    const rows = await eventually('failed rows', async () => {
      const found = await adminSql<{ code: string; n: number }>(
        baseUrl,
        testKeys.admin,
        `SELECT error_code AS code, toUInt32(count()) AS n FROM requests FINAL WHERE tags['run'] = '${run}' GROUP BY code ORDER BY code`,
      );
      return found.reduce((sum, row) => sum + Number(row.n), 0) >= 3 ? found : undefined;
    });
    // The 413 is refused before the body is read, so it is not a chat request yet.
    expect(rows).toEqual([
      { code: 'invalid_json', n: 2 },
      { code: 'invalid_request', n: 1 },
    ]);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
  });
});
