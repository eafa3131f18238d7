import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from './support/admin-sql';
import { repoRoot, runToEnd } from './support/child-process';
import { testKeys } from './support/gateway-keys';
import { type SeededGateway, startSeededGateway } from './support/seeded-gateway';

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
  let seeded: SeededGateway | undefined;
  let baseUrl: string;
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
    seeded = await startSeededGateway({
      tmpPrefix: 'aigw-analytics-api-',
      extraEndpointsYaml: loggedEndpointYaml,
      prompts: {
        chat: ['hello there', 'second question'],
        logged: 'mail me at alice@example.com',
        strict: 'to bob@example.com',
        bob: 'hi from bob',
      },
    });
    baseUrl = seeded.baseUrl;
    loggedRequestId = seeded.loggedRequestId;
  });

  afterAll(async () => {
    await seeded?.close();
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
