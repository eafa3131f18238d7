import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import {
  eventually,
  repoRoot,
  runToEnd,
  type RunningProcess,
  startNodeProcess,
} from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

/** An endpoint with tags and payload logging, on the OpenAI mock. */
const loggedEndpointYaml = `  logged:
    targets:
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      request: [pii-mask]
    allow:
      groups: [eng]
    tags:
      cost_center: cc-42
    payload_logging:
      enabled: true
      retention_days: 14
`;

type Row = Record<string, unknown>;

// A real standalone gateway (embedded log + chDB), real requests through it, then the
// analytics API, the CLI and the documented SQL read what those requests left behind.
describe('analytics API, CLI and documented queries (standalone)', () => {
  let upstream: OpenAiMock;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dataDir: string;
  let loggedRequestId = '';

  async function report(
    path: string,
    key: string = testKeys.admin,
  ): Promise<{ status: number; body: Row }> {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { status: response.status, body: (await response.json()) as Row };
  }

  async function rows(path: string): Promise<Row[]> {
    const { status, body } = await report(path);
    expect(status, JSON.stringify(body)).toBe(200);
    return body['rows'] as Row[];
  }

  beforeAll(async () => {
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-analytics-api-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort: port,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
        extraEndpointsYaml: loggedEndpointYaml,
      }),
    );
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: upstreamKey,
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000).catch((error: unknown) => {
      throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
    });

    const client = (key: string, tags: string) =>
      new OpenAI({
        baseURL: `${baseUrl}/v1`,
        apiKey: key,
        maxRetries: 0,
        defaultHeaders: { 'x-aigw-tags': tags },
      });
    const alice = client(testKeys.alice, 'team=search');
    const bob = client(testKeys.bob, 'team=ads');
    const ask = (content: string) => [{ role: 'user' as const, content }];
    // alice: two calls on `chat` (each falls back from the dead target), one on `logged`
    // (PII masked, payload logged), one blocked by the strict guardrail.
    await alice.chat.completions.create({ model: 'chat', messages: ask('hello there') });
    await alice.chat.completions.create({ model: 'chat', messages: ask('second question') });
    const logged = await alice.chat.completions
      .create({ model: 'logged', messages: ask('mail me at alice@example.com') })
      .withResponse();
    loggedRequestId = logged.response.headers.get('x-request-id') ?? '';
    await expect(
      alice.chat.completions.create({ model: 'strict', messages: ask('to bob@example.com') }),
    ).rejects.toMatchObject({ status: 400 });
    // bob: one call on his private endpoint (mock provider).
    await bob.chat.completions.create({ model: 'private', messages: ask('hi from bob') });

    await eventually('five requests in ClickHouse', async () => {
      const [row] = await adminSql<{ n: number }>(
        baseUrl,
        testKeys.admin,
        'SELECT toUInt32(count()) AS n FROM requests FINAL',
      );
      return row && row.n >= 5 ? row : undefined;
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports cost and usage by request tag from the daily rollup', async () => {
    const { body } = await report('/admin/analytics/usage?by=tag:team&since=1d');
    expect(body['source']).toBe('cost_daily');
    const byTeam = Object.fromEntries(
      (body['rows'] as Row[]).map((row) => [row['tag:team'], row['request_count']]),
    );
    expect(byTeam).toEqual({ search: 4, ads: 1 });
    const search = (body['rows'] as Row[]).find((row) => row['tag:team'] === 'search')!;
    expect(Number(search['total_cost_usd'])).toBeGreaterThan(0);
    expect(search['error_count']).toBe(1);
    expect(search['fallback_count']).toBe(2);
  });

  it('groups by endpoint tag, principal and model, and by two multi-valued dimensions', async () => {
    const tagged = await rows(
      '/admin/analytics/usage?by=endpoint_tag:cost_center,endpoint&since=1d',
    );
    expect(tagged).toEqual([
      expect.objectContaining({
        'endpoint_tag:cost_center': 'cc-42',
        endpoint: 'logged',
        request_count: 1,
      }),
    ]);
    const byPrincipalModel = await rows(
      '/admin/analytics/usage?by=principal,model&since=1d&order=requests',
    );
    expect(byPrincipalModel[0]).toMatchObject({
      principal: 'alice',
      model: 'gpt-4o-mini',
      request_count: 3,
    });
    const { body } = await report('/admin/analytics/usage?by=group,tag:team&since=1d');
    expect(body['source']).toBe('requests');
    expect(body['rows']).toEqual([
      expect.objectContaining({ group: 'eng', 'tag:team': 'search', request_count: 4 }),
    ]);
  });

  it('ranks top principals, and reports error, fallback and latency figures', async () => {
    const top = await rows('/admin/analytics/top?since=1d&order=requests');
    expect(top.map((row) => [row['principal'], row['request_count']])).toEqual([
      ['alice', 4],
      ['bob', 1],
    ]);
    const errors = await rows('/admin/analytics/errors?by=endpoint&since=1d');
    const byEndpoint = Object.fromEntries(errors.map((row) => [row['endpoint'], row]));
    expect(byEndpoint['strict']).toMatchObject({ request_count: 1, error_count: 1, error_rate: 1 });
    expect(byEndpoint['chat']).toMatchObject({
      request_count: 2,
      fallback_count: 2,
      fallback_rate: 1,
    });
    const latency = await rows('/admin/analytics/latency?by=endpoint&since=1d');
    expect(latency.map((row) => row['endpoint']).sort()).toEqual(['chat', 'logged', 'private']);
    for (const row of latency) {
      expect(Number(row['p99_latency_ms'])).toBeGreaterThanOrEqual(Number(row['p50_latency_ms']));
      expect(Number(row['p50_latency_ms'])).toBeGreaterThan(0);
    }
  });

  it('reports guardrail hits and finds requests by principal', async () => {
    const hits = await rows('/admin/analytics/guardrails?by=guardrail,verdict&since=1d');
    expect(hits).toEqual(
      expect.arrayContaining([
        { guardrail: 'pii-mask', verdict: 'masked', hit_count: 1 },
        { guardrail: 'pii-block', verdict: 'blocked', hit_count: 1 },
      ]),
    );
    const bobs = await rows('/admin/analytics/requests?search=bob&since=1d');
    expect(bobs).toHaveLength(1);
    expect(bobs[0]).toMatchObject({
      principal_id: 'bob',
      endpoint: 'private',
      tags: { team: 'ads' },
    });
    await expect(rows('/admin/analytics/mcp?since=1d')).resolves.toEqual([]);
  });

  it('shows one request timeline with its masked payload', async () => {
    expect(loggedRequestId).not.toBe('');
    const { status, body } = await report(
      `/admin/analytics/requests/${encodeURIComponent(loggedRequestId)}/timeline`,
    );
    expect(status).toBe(200);
    const types = (body['events'] as Row[]).map((event) => event['type']);
    expect(types[0]).toBe('request.received');
    expect(types).toEqual(
      expect.arrayContaining(['policy.decided', 'guardrail.evaluated', 'request.completed']),
    );
    const payload = body['payload'] as Row;
    expect(payload['retention_days']).toBe(14);
    expect(String(payload['request_body'])).not.toContain('alice@example.com');
    expect(String(payload['request_body'])).toContain('[EMAIL_1]');
    expect(String(payload['response_body'])).toContain('choices');
    expect(body['request']).toMatchObject({
      endpoint_tags: { cost_center: 'cc-42' },
      guardrail_actions: ['request:pii-mask:masked'],
    });
  });

  it('refuses callers without the analytics role and bad parameters, in OpenAI error JSON', async () => {
    const anonymous = await fetch(`${baseUrl}/admin/analytics/usage`);
    expect(anonymous.status).toBe(401);
    const alice = await report('/admin/analytics/usage', testKeys.alice);
    expect(alice.status).toBe(403);
    expect(alice.body).toMatchObject({ error: { code: 'permission_denied' } });
    const badDimension = await report('/admin/analytics/usage?by=cost_usd;DROP TABLE requests');
    expect(badDimension.status).toBe(400);
    expect(badDimension.body).toMatchObject({ error: { code: 'invalid_request', param: 'by' } });
    const badTime = await report('/admin/analytics/usage?since=yesterday');
    expect(badTime.status).toBe(400);
    const unknownParameter = await report('/admin/analytics/usage?sql=SELECT%201');
    expect(unknownParameter.status).toBe(400);
    const missing = await report('/admin/analytics/requests/no-such-request/timeline');
    expect(missing.status).toBe(404);
    // A tag key with SQL in it is a bound parameter value, never SQL text.
    const injected = await report(
      `/admin/analytics/requests?tag=${encodeURIComponent("team') OR 1=1 --:x")}&since=1d`,
    );
    expect(injected).toMatchObject({ status: 200, body: { rows: [] } });
  });

  it('answers `aigw usage --by tag:team` and `aigw request ID` from the CLI', async () => {
    const env = { AIGW_URL: baseUrl, AIGW_API_KEY: testKeys.admin };
    const usage = await runToEnd(
      process.execPath,
      ['services/standalone/dist/cli.js', 'usage', '--by', 'tag:team', '--since', '7d', '--json'],
      env,
    );
    expect(usage.code, usage.stderr).toBe(0);
    const lines = usage.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
    expect(lines.map((row) => [row['tag:team'], row['request_count']]).sort()).toEqual([
      ['ads', 1],
      ['search', 4],
    ]);
    const timeline = await runToEnd(
      process.execPath,
      ['services/standalone/dist/cli.js', 'request', loggedRequestId],
      env,
    );
    expect(timeline.code, timeline.stderr).toBe(0);
    expect(timeline.stdout).toContain('request.completed');
    expect(timeline.stdout).toContain('[EMAIL_1]');
    const table = await runToEnd(
      process.execPath,
      ['services/standalone/dist/cli.js', 'top', '--order', 'requests', '--since', '1d'],
      env,
    );
    expect(table.stdout).toMatch(/alice\s+.*4/);
  });

  it('runs every example query of docs/analytics.md on the data these requests produced', async () => {
    const doc = readFileSync(resolve(repoRoot, 'docs/analytics.md'), 'utf8');
    const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const sql of examples) {
      const result = await adminSql(baseUrl, testKeys.admin, sql).catch((error: unknown) => {
        throw new Error(`${String(error)}\n--- query:\n${sql}`);
      });
      // Each example is written to return rows for this data set.
      expect(result.length, `no rows from:\n${sql}`).toBeGreaterThan(0);
    }
  });
});
