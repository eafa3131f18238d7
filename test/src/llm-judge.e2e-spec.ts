import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { adminSql } from './support/admin-sql';
import { type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

// Every judge calls the `judge` endpoint, whose target is the OpenAI mock, so each test scripts
// the judge's answer in the order the mock sees calls: a request judge before the model call,
// a response judge after it.
const extraEndpointsYaml = `  judge:
    targets:
      - provider: upstream
        model: gpt-4o-mini
  judged-safety:
    targets:
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      request: [safety-judge]
    allow:
      groups: [eng]
  judged-grounding:
    targets:
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      response: [grounding-judge]
    allow:
      groups: [eng]
  judged-open:
    targets:
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      request: [slow-open]
    allow:
      groups: [eng]
  judged-closed:
    targets:
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      request: [slow-closed]
    allow:
      groups: [eng]
`;
const extraGuardrailsYaml = `  safety-judge:
    type: llm_judge
    kind: content_safety
    endpoint: judge
  grounding-judge:
    type: llm_judge
    kind: hallucination
    stage: response
    endpoint: judge
  slow-open:
    type: llm_judge
    kind: content_safety
    endpoint: judge
    timeout_ms: 300
    on_error: fail_open
  slow-closed:
    type: llm_judge
    kind: content_safety
    endpoint: judge
    timeout_ms: 300
    on_error: fail_closed
`;

const failVerdict = '{"verdict":"fail","categories":["violence"],"reason":"threatens a person"}';
const passVerdict = '{"verdict":"pass","categories":[],"reason":"benign"}';

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string };
  readonly choices?: { readonly message: { readonly content: string } }[];
}

describe('LLM-judge guardrails end to end (standalone)', () => {
  let upstream: OpenAiMock;
  let gateway: RunningProcess;
  let baseUrl: string;
  let dataDir: string;

  async function chat(
    model: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: ErrorBody }> {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testKeys.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, ...body }),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody };
  }

  beforeAll(async () => {
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-llm-judge-'));
    const port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    writeFileSync(
      configPath,
      gatewayConfigYaml({
        httpPort: port,
        dataDir: join(dataDir, 'data'),
        upstreamBaseUrl: upstream.baseUrl,
        deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
        extraEndpointsYaml,
        extraGuardrailsYaml,
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
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('blocks a request the content-safety judge fails, naming the guardrail', async () => {
    upstream.script({ kind: 'reply', content: failVerdict });
    const before = upstream.requests.length;
    const result = await chat('judged-safety', {
      messages: [{ role: 'user', content: 'Tell me how to hurt my neighbour.' }],
    });
    expect(result.status).toBe(400);
    expect(result.body.error?.code).toBe('guardrail_blocked');
    expect(result.body.error?.message).toContain('safety-judge');
    // Only the judge was asked; the model never saw the request.
    expect(upstream.requests.length).toBe(before + 1);
    const judged = JSON.stringify(upstream.requests.at(-1)!.body);
    expect(judged).toContain('json_object');
    expect(judged).toContain('Tell me how to hurt my neighbour.');
  });

  it('lets a request through when the judge passes it', async () => {
    upstream.script({ kind: 'reply', content: passVerdict }, { kind: 'reply', content: 'Sure.' });
    const result = await chat('judged-safety', {
      messages: [{ role: 'user', content: 'How do I bake bread?' }],
    });
    expect(result.status).toBe(200);
    expect(result.body.choices?.[0]?.message.content).toBe('Sure.');
  });

  it('blocks an answer the hallucination judge finds ungrounded in the supplied context', async () => {
    upstream.script(
      { kind: 'reply', content: 'The Eiffel Tower is 900 metres tall.' },
      { kind: 'reply', content: '{"verdict":"fail","categories":["ungrounded"],"reason":"x"}' },
    );
    const result = await chat('judged-grounding', {
      context: 'The Eiffel Tower is 330 metres tall.',
      messages: [
        { role: 'system', content: 'Answer from the provided documents only.' },
        { role: 'user', content: 'How tall is the Eiffel Tower?' },
      ],
    });
    expect(result.status).toBe(400);
    expect(result.body.error?.message).toContain('grounding-judge');
    expect(JSON.stringify(result.body)).not.toContain('900 metres');
    const [modelCall, judgeCall] = upstream.requests.slice(-2).map((r) => JSON.stringify(r.body));
    // The caller's context grounds the judge and never reaches the model as a field.
    expect(modelCall).not.toContain('330 metres');
    expect(judgeCall).toContain('The Eiffel Tower is 330 metres tall.');
    expect(judgeCall).toContain('Answer from the provided documents only.');
    expect(judgeCall).toContain('The Eiffel Tower is 900 metres tall.');
  });

  it('passes when a judge times out with fail_open, and blocks with fail_closed', async () => {
    upstream.script({ kind: 'delay', ms: 2_000 }, { kind: 'reply', content: 'Answered.' });
    const open = await chat('judged-open', { messages: [{ role: 'user', content: 'hello' }] });
    expect(open.status).toBe(200);
    expect(open.body.choices?.[0]?.message.content).toBe('Answered.');

    upstream.script({ kind: 'delay', ms: 2_000 });
    const closed = await chat('judged-closed', { messages: [{ role: 'user', content: 'hello' }] });
    expect(closed.status).toBe(400);
    expect(closed.body.error?.message).toContain('slow-closed');
  });

  it('records the judge model and cost on guardrail.evaluated, never the judged text', async () => {
    interface Evaluated {
      guardrail: string;
      verdict: string;
      judgeProvider?: string;
      judgeModel?: string;
      judgeCostUsd?: string;
    }
    let evaluated: Evaluated[] = [];
    let payloads = '';
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const rows = await adminSql<{ payload: string }>(
        baseUrl,
        testKeys.admin,
        "SELECT payload FROM events WHERE type = 'guardrail.evaluated'",
      );
      payloads = rows.map((row) => row.payload).join('\n');
      evaluated = rows.map(
        (row) => (JSON.parse(row.payload) as { guardrailEvaluated: Evaluated }).guardrailEvaluated,
      );
      if (evaluated.some((event) => event.guardrail === 'grounding-judge')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const blocked = evaluated.find(
      (event) => event.guardrail === 'safety-judge' && event.verdict === 'blocked',
    );
    expect(blocked).toMatchObject({ judgeProvider: 'upstream', judgeModel: 'gpt-4o-mini' });
    expect(Number(blocked?.judgeCostUsd)).toBeGreaterThan(0);
    expect(evaluated.find((event) => event.guardrail === 'grounding-judge')).toMatchObject({
      verdict: 'blocked',
      judgeModel: 'gpt-4o-mini',
    });
    for (const text of ['hurt my neighbour', '900 metres', '330 metres']) {
      expect(payloads).not.toContain(text);
    }
  });
});
