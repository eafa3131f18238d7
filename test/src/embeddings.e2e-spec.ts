import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  estimateMockTokens,
  freePort,
  mockEmbedding,
  type OpenAiMock,
  startOpenAiMock,
  waitForHttp,
} from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

const runTag = `embed-${Date.now().toString(36)}`;
const dimensions = 12;

// An embeddings endpoint with the same governance as chat: fallback from a dead target, PII masked.
const vectorsEndpoint = `  vectors:
    kind: embeddings
    targets:
      - provider: dead
        model: dead-model
      - provider: upstream
        model: text-embedding-3-small
    guardrails:
      request: [pii-mask]
    allow:
      groups: [eng]
`;

describe('POST /v1/embeddings (standalone gateway, official openai SDK)', () => {
  let upstream: OpenAiMock;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dataDir: string;
  let alice: OpenAI;

  beforeAll(async () => {
    upstream = await startOpenAiMock({ apiKey: upstreamKey, embeddingDimensions: dimensions });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-embeddings-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort: port,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
        extraEndpointsYaml: vectorsEndpoint,
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

  it('embeds with float vectors, masking PII before the provider', async () => {
    const masked = 'Mail [EMAIL_1] about the invoice';
    const response = await alice.embeddings.create({
      model: 'vectors',
      input: ['Mail carol@example.com about the invoice', 'plain text'],
      encoding_format: 'float',
    });

    const seen = upstream.requests.at(-1)!;
    expect(seen.path).toBe('/v1/embeddings');
    expect(seen.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: [masked, 'plain text'],
      encoding_format: 'float',
    });
    expect(JSON.stringify(seen.body)).not.toContain('carol@example.com');
    expect(response.object).toBe('list');
    expect(response.data.map((item) => item.index)).toEqual([0, 1]);
    expect(response.data[0]!.embedding).toEqual(mockEmbedding(masked, dimensions));
    expect(response.data[1]!.embedding).toEqual(mockEmbedding('plain text', dimensions));
    const tokens = estimateMockTokens(masked) + estimateMockTokens('plain text');
    expect(response.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('passes the SDK default base64 encoding through, and the SDK decodes the vectors', async () => {
    const response = await alice.embeddings.create({
      model: 'vectors',
      input: 'call me on +1 415 555 0132',
    });

    expect(upstream.requests.at(-1)!.body).toMatchObject({
      input: 'call me on [PHONE_1]',
      encoding_format: 'base64',
    });
    expect(response.data).toHaveLength(1);
    expect(response.data[0]!.embedding).toEqual(mockEmbedding('call me on [PHONE_1]', dimensions));
  });

  it('serves each endpoint only for its kind, and lists both kinds', async () => {
    await expect(
      alice.chat.completions.create({
        model: 'vectors',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(alice.embeddings.create({ model: 'chat', input: 'hi' })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const invalid = await fetch(`${baseUrl}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testKeys.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'vectors', input: { text: 'x' } }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { param: string } }).error.param).toBe('input');
    const models = await alice.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(['chat', 'strict', 'vectors']);
  });

  it('refuses what policy and guardrails refuse, in OpenAI error format', async () => {
    const anonymous = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'nope', maxRetries: 0 });
    await expect(
      anonymous.embeddings.create({ model: 'vectors', input: 'hi' }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('records a requests row per embeddings call, with operation, tokens and cost', async () => {
    const rows = await eventually('embeddings rows', async () => {
      const found = await adminSql<Record<string, unknown>>(
        baseUrl,
        testKeys.admin,
        `SELECT endpoint, provider, model, status, operation, prompt_tokens, toString(cost_usd) AS cost FROM requests FINAL WHERE tags['run'] = '${runTag}' AND operation = 'embeddings' AND status = 200 ORDER BY time`,
      );
      return found.length === 2 ? found : undefined;
    });
    for (const row of rows) {
      expect(row).toMatchObject({
        endpoint: 'vectors',
        provider: 'upstream',
        model: 'text-embedding-3-small',
        operation: 'embeddings',
      });
      expect(Number(row['prompt_tokens'])).toBeGreaterThan(0);
      // text-embedding-3-small is priced per input token: a real amount, not null or 0.
      expect(Number(row['cost'])).toBeGreaterThan(0);
    }
  });
});
