import { registerSecrets } from './support/secret-scan';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import {
  eventually,
  runToEnd,
  type RunningProcess,
  startNodeProcess,
} from './support/child-process';
import { textOfFilesUnder } from './support/files-text';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';
import { TestJwtIssuer } from './support/jwt-issuer';

/** Every credential the test presents; none may appear in an event, a file or a log line. */
const secrets: string[] = [];
const remember = (secret: string): string => {
  secrets.push(secret);
  registerSecrets(secret);
  return secret;
};

interface ErrorBody {
  readonly error?: { message: string; type: string; code: string };
}

describe('authentication matrix (standalone gateway: keys from the admin API, JWTs from a JWKS)', () => {
  let upstream: OpenAiMock;
  let issuer: TestJwtIssuer;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dir: string;

  const chat = async (
    headers: Record<string, string>,
    model = 'strict',
  ): Promise<{ status: number; body: ErrorBody & Record<string, unknown>; requestId: string }> => {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
    });
    return {
      status: response.status,
      body: (await response.json()) as ErrorBody & Record<string, unknown>,
      requestId: response.headers.get('x-request-id') ?? '',
    };
  };
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const admin = async (
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> & ErrorBody }> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const createKey = async (
    body: Record<string, unknown>,
  ): Promise<{ key: string; id: string; prefix: string }> => {
    const created = await admin('POST', '/admin/keys', testKeys.admin, body);
    expect(created.status).toBe(201);
    return {
      key: remember(created.body['key'] as string),
      id: created.body['id'] as string,
      prefix: created.body['prefix'] as string,
    };
  };

  beforeAll(async () => {
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    issuer = await TestJwtIssuer.start();
    dir = mkdtempSync(join(tmpdir(), 'aigw-auth-'));
    const port = await freePort();
    const configPath = join(dir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort: port,
        dataDir: join(dir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
      }) + issuer.authYaml(),
    );
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: upstreamKey,
      AIGW_LOG_LEVEL: 'debug',
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000).catch((error: unknown) => {
      throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
    });
    secrets.push(...Object.values(testKeys));
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await issuer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 in OpenAI error JSON without a key, with an unknown key, a revoked key and an expired key', async () => {
    const revoked = await createKey({ principal: 'dana', groups: ['eng'] });
    expect((await chat(bearer(revoked.key))).status).toBe(200);
    expect((await admin('DELETE', `/admin/keys/${revoked.id}`, testKeys.admin)).status).toBe(200);

    const expiring = await createKey({ principal: 'erin', groups: ['eng'], expires_in: 1 });

    const missing = await chat({});
    const unknown = await chat(
      bearer(remember('aigw_0badc0de_not-a-real-key-at-all-000000000000000')),
    );
    const afterRevoke = await chat(bearer(revoked.key));
    for (const refused of [missing, unknown, afterRevoke]) {
      expect(refused.status).toBe(401);
      expect(refused.body.error).toMatchObject({
        type: 'authentication_error',
        code: 'unauthenticated',
      });
    }
    // The key stops working once its second has passed: poll, never sleep-and-assert.
    await eventually('the 1 s key to expire', async () =>
      (await chat(bearer(expiring.key))).status === 401 ? true : undefined,
    );
  });

  it('serves a key created for a principal not in config, as that principal with its groups', async () => {
    const created = await createKey({ principal: 'frank', groups: ['eng'], service: true });
    const answered = await chat(bearer(created.key));
    expect(answered.status).toBe(200);
    const otherEndpoint = await chat(bearer(created.key), 'private');
    expect(otherEndpoint.status).toBe(403);
    const rows = await eventually('the policy decision in ClickHouse', async () => {
      const found = await adminSql<{
        principal_id: string;
        principal_kind: string;
        groups: string[];
      }>(
        baseUrl,
        testKeys.admin,
        `SELECT principal_id, principal_kind, groups FROM events
         WHERE request_id = '${answered.requestId}' AND type = 'policy.decided'`,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(rows[0]).toEqual({ principal_id: 'frank', principal_kind: 'service', groups: ['eng'] });
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example/' }],
    ['a wrong audience', { aud: 'another-app' }],
    ['a signature by an unpublished key', { forged: true }],
    ['an expired token', { expiresIn: -3600 }],
  ])('answers 401 for a JWT with %s', async (_name, options) => {
    const token = remember(
      await issuer.token({ sub: 'mallory', realm_access: { groups: ['eng'] } }, options),
    );
    const refused = await chat(bearer(token));
    expect(refused.status).toBe(401);
    expect(refused.body.error?.type).toBe('authentication_error');
    expect(refused.body.error?.message).toMatch(/^Invalid bearer token: /);
    expect(refused.body.error?.message).not.toContain(token);
  });

  it('answers 401 for an alg "none" JWT with otherwise valid claims', async () => {
    const token = remember(issuer.unsigned({ sub: 'mallory', realm_access: { groups: ['eng'] } }));
    expect((await chat(bearer(token))).status).toBe(401);
    expect((await chat({ 'x-api-key': token })).status).toBe(401);
  });

  it('serves a valid JWT as the principal its claims name, visible in the events', async () => {
    const token = remember(
      await issuer.token({ sub: 'jwt-user-1', realm_access: { groups: ['eng'] } }),
    );
    const answered = await chat(bearer(token));
    expect(answered.status).toBe(200);
    const models = await fetch(`${baseUrl}/v1/models`, { headers: bearer(token) });
    expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(
      expect.arrayContaining(['chat', 'strict']),
    );
    const rows = await eventually('the JWT request in ClickHouse', async () => {
      const found = await adminSql<{ type: string; principal_id: string; groups: string[] }>(
        baseUrl,
        testKeys.admin,
        `SELECT type, principal_id, groups FROM events
         WHERE request_id = '${answered.requestId}' ORDER BY occurred_at`,
      );
      return found.some((row) => row.type === 'request.completed') ? found : undefined;
    });
    for (const row of rows.filter((r) => r.type !== 'request.received')) {
      expect(row).toMatchObject({ principal_id: 'jwt-user-1', groups: ['eng'] });
    }
  });

  it('guards the admin API: 401 without credentials, 403 without the admin role, JWT admins allowed', async () => {
    const noKey = await fetch(`${baseUrl}/admin/keys`);
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as ErrorBody).error?.type).toBe('authentication_error');
    const notAdmin = await admin('POST', '/admin/keys', testKeys.alice, { principal: 'x' });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.error).toMatchObject({
      type: 'permission_error',
      code: 'permission_denied',
    });
    const bad = await admin('POST', '/admin/keys', testKeys.admin, { principal: 'a b' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toContain('principal');
    expect((await admin('DELETE', '/admin/keys/aigw_00000000', testKeys.admin)).status).toBe(404);

    const jwtAdmin = remember(await issuer.token({ sub: 'ops-jwt', app_roles: ['gateway-admin'] }));
    const listed = await admin('GET', '/admin/keys?include_revoked=true', jwtAdmin);
    expect(listed.status).toBe(200);
    const data = listed.body['data'] as { principal: string; revoked_at: string | null }[];
    expect(data.map((key) => key.principal)).toEqual(expect.arrayContaining(['dana', 'frank']));
    expect(JSON.stringify(listed.body)).not.toMatch(/aigw_[0-9a-f]{8}_/);
    const jwtUser = remember(await issuer.token({ sub: 'plain-user' }));
    expect((await admin('GET', '/admin/keys', jwtUser)).status).toBe(403);
  });

  it('manages keys with the CLI: create prints the key once, list shows it, revoke stops it', async () => {
    const cli = (args: string[]) =>
      runToEnd(process.execPath, ['services/standalone/dist/cli.js', 'keys', ...args], {
        AIGW_URL: baseUrl,
        AIGW_API_KEY: testKeys.admin,
      });
    const created = await cli([
      'create',
      '--principal',
      'gina',
      '--groups',
      'eng',
      '--expires',
      '30d',
    ]);
    expect(created.code).toBe(0);
    const key = remember(created.stdout.split('\n')[0]!);
    expect(key).toMatch(/^aigw_[0-9a-f]{8}_/);
    const prefix = key.split('_').slice(0, 2).join('_');
    expect((await chat(bearer(key))).status).toBe(200);
    const listed = await cli(['list']);
    expect(listed.stdout).toContain(prefix);
    expect(listed.stdout).not.toContain(key);
    const revoked = await cli(['revoke', prefix]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${prefix}`);
    expect((await chat(bearer(key))).status).toBe(401);
  });

  it('puts no presented key or token in any event, file or log line', async () => {
    // The last request's events are on disk once the gateway stops (it flushes on SIGTERM).
    await gateway.stop();
    const onDisk = textOfFilesUnder(join(dir, 'data'));
    const logs = gateway.output();
    expect(onDisk).toContain('key.changed');
    for (const secret of secrets) {
      expect(onDisk.includes(secret), `a credential is stored in ${dir}/data`).toBe(false);
      expect(logs.includes(secret), 'a credential is in the log output').toBe(false);
    }
  });
});
