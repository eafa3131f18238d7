import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import {
  eventually,
  runToEnd,
  type RunningProcess,
  startNodeProcess,
} from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

const runTag = `run-${Date.now().toString(36)}`;

describe('standalone gateway (one process, embedded log and chDB)', () => {
  let upstream: OpenAiMock;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dataDir: string;
  let alice: OpenAI;

  beforeAll(async () => {
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-standalone-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort: port,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
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
    alice = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: testKeys.alice,
      maxRetries: 0,
      defaultHeaders: { 'x-aigw-tags': `team=search,run=${runTag}` },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a chat completion through the fallback target, with PII masked before the provider', async () => {
    const completion = await alice.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Mail alice@example.com or call +1 415 555 0132' }],
    });
    expect(completion.object).toBe('chat.completion');
    const seen = upstream.requests.at(-1)!;
    expect(JSON.stringify(seen.body)).toContain('Mail [EMAIL_1] or call [PHONE_1]');
    expect(JSON.stringify(seen.body)).not.toContain('alice@example.com');
    expect(completion.choices[0]!.message.content).toContain('[EMAIL_1]');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it('streams chat completion chunks over SSE, with usage when asked', async () => {
    const stream = await alice.chat.completions.create({
      model: 'chat',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream me a reply' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain('stream me a reply');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('lists only the endpoints the caller may use', async () => {
    const models = await alice.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(['chat', 'strict']);
  });

  it('refuses what policy and guardrails refuse, in OpenAI error format', async () => {
    const anonymous = new OpenAI({
      baseURL: `${baseUrl}/v1`,
      apiKey: 'not-a-gateway-key',
      maxRetries: 0,
    });
    await expect(
      anonymous.chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(
      alice.chat.completions.create({
        model: 'private',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(
      alice.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const blocked = await alice.chat.completions
      .create({
        model: 'strict',
        messages: [{ role: 'user', content: 'reach me at bob@example.org' }],
      })
      .catch((error: unknown) => error);
    expect(blocked).toBeInstanceOf(OpenAI.BadRequestError);
    expect((blocked as Error).message).toContain('pii-block');
    expect((blocked as Error).message).not.toContain('bob@example.org');
  });

  it('answers bad input with OpenAI error JSON and keeps serving', async () => {
    const headers = {
      authorization: `Bearer ${testKeys.alice}`,
      'content-type': 'application/json',
    };
    const malformed = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: '{"model":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
    const unknown = await fetch(`${baseUrl}/v1/nothing-here`, { headers });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /unknown endpoint/i,
    );
    const badTags = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...headers, 'x-aigw-tags': 'Team=<x>' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(badTags.status).toBe(400);
    const wrongType = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'chat', messages: 'not a list' }),
    });
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { error: { message: string } }).error.message).toContain(
      'messages',
    );
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it('records one requests row per request, readable with `aigw sql`', async () => {
    // 2 successful calls + 3 refused (private, nope, strict) with this run's tag above.
    const expected = 5;
    const rows = await eventually('requests rows', async () => {
      const found = await adminSql<{ n: number }>(
        baseUrl,
        testKeys.admin,
        `SELECT toUInt32(count()) AS n FROM requests FINAL WHERE tags['run'] = '${runTag}'`,
      );
      return found[0]!.n === expected ? found : undefined;
    });
    expect(rows[0]!.n).toBe(expected);
    const cli = await runToEnd(process.execPath, [
      'services/standalone/bin/aigw.js',
      'sql',
      `SELECT endpoint, provider, model, status, prompt_tokens > 0 AS has_tokens, tags['team'] AS team, toString(cost_usd) AS cost FROM requests FINAL WHERE tags['run'] = '${runTag}' AND status = 200 ORDER BY time`,
      '--url',
      baseUrl,
      '--key',
      testKeys.admin,
      '--json',
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    const cliRows = cli.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(cliRows).toHaveLength(2);
    for (const row of cliRows) {
      expect(row).toMatchObject({
        endpoint: 'chat',
        provider: 'upstream',
        model: 'gpt-4o-mini',
        team: 'search',
      });
      expect(Number(row['status'])).toBe(200);
      // gpt-4o-mini is in the built-in price table: a real dollar amount, not null or 0.
      expect(Number(row['cost'])).toBeGreaterThan(0);
    }
  });
});
