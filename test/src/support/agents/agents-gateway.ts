import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnthropicMock,
  freePort,
  type OpenAiMock,
  startAnthropicMock,
  startOpenAiMock,
  waitForHttp,
} from '@aigw/testing';
import { adminSql } from '../admin-sql';
import { eventually, type RunningProcess, startNodeProcess } from '../child-process';
import { sha256, testKeys } from '../gateway-keys';

const anthropicKey = 'sk-ant-agents-e2e-secret-5d6e';
const openAiKey = 'sk-agents-e2e-openai-secret-7f8a';

/**
 * Gateway endpoints the agent tests use: `claude-agent` (Anthropic mock), `claude-via-openai`
 * (OpenAI mock: Anthropic ⇄ OpenAI translation), `codex-agent` (OpenAI mock) and
 * `codex-via-anthropic` (Anthropic mock: Responses ⇄ chat ⇄ Anthropic). Targets name priced
 * models, so cost is recorded. The `guarded` endpoint blocks secrets in requests and answers.
 */
function configYaml(
  port: number,
  dataDir: string,
  anthropicUrl: string,
  openAiUrl: string,
  extraYaml: string,
): string {
  return `version: 1
runtime:
  # The mocks and MCP servers listen on loopback, which egress refuses unless allowed.
  egress: { allow_private: [127.0.0.1, '::1', localhost] }
  http: { host: 127.0.0.1, port: ${port} }
  data_dir: ${dataDir}
providers:
  anthropic:
    type: anthropic
    base_url: ${anthropicUrl}
    api_key: \${E2E_AGENTS_ANTHROPIC_KEY}
  openai:
    type: openai
    base_url: ${openAiUrl}
    api_key: \${E2E_AGENTS_OPENAI_KEY}
endpoints:
  claude-agent:
    targets: [{ provider: anthropic, model: claude-sonnet-4-0 }]
    allow: { groups: [eng] }
  claude-via-openai:
    targets: [{ provider: openai, model: gpt-4o-mini }]
    allow: { groups: [eng] }
  codex-agent:
    targets: [{ provider: openai, model: gpt-4o-mini }]
    allow: { groups: [eng] }
  codex-via-anthropic:
    targets: [{ provider: anthropic, model: claude-sonnet-4-0 }]
    allow: { groups: [eng] }
  guarded:
    targets: [{ provider: openai, model: gpt-4o-mini }]
    guardrails: { request: [no-secrets], response: [no-secrets] }
    allow: { groups: [eng] }
principals:
  alice: { kind: user, groups: [eng] }
  bob: { kind: user, groups: [eng] }
  admin: { roles: [admin] }
keys:
  - { sha256: ${sha256(testKeys.alice)}, principal: alice }
  - { sha256: ${sha256(testKeys.bob)}, principal: bob }
  - { sha256: ${sha256(testKeys.admin)}, principal: admin }
guardrails:
  no-secrets: { type: secrets, action: block }
${extraYaml}`;
}

export interface AgentsGateway {
  readonly url: string;
  readonly anthropicMock: AnthropicMock;
  readonly openAiMock: OpenAiMock;
  readonly process: RunningProcess;
  stop(): Promise<void>;
}

/** A standalone gateway (built dist) in front of an Anthropic and an OpenAI mock. */
export interface AgentsGatewayOptions {
  /** More top-level YAML (e.g. an `mcp:` section). */
  readonly extraYaml?: string;
  /** More environment for the gateway process (secrets the extra YAML references). */
  readonly env?: Record<string, string>;
}

export async function startAgentsGateway(
  name: string,
  options: AgentsGatewayOptions = {},
): Promise<AgentsGateway> {
  const anthropicMock = await startAnthropicMock({ apiKey: anthropicKey });
  const openAiMock = await startOpenAiMock({ apiKey: openAiKey });
  const dataDir = mkdtempSync(join(tmpdir(), `aigw-${name}-`));
  const port = await freePort();
  const configPath = join(dataDir, 'aigw.yaml');
  writeFileSync(
    configPath,
    configYaml(
      port,
      join(dataDir, 'data'),
      anthropicMock.baseUrl,
      openAiMock.baseUrl,
      options.extraYaml ?? '',
    ),
  );
  const gateway = startNodeProcess(name, 'services/standalone/dist/main.js', {
    AIGW_CONFIG: configPath,
    E2E_AGENTS_ANTHROPIC_KEY: anthropicKey,
    E2E_AGENTS_OPENAI_KEY: openAiKey,
    ...options.env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, 60_000).catch((error: unknown) => {
    throw new Error(`gateway did not start: ${String(error)}\n${gateway.output()}`);
  });
  return {
    url,
    anthropicMock,
    openAiMock,
    process: gateway,
    stop: async () => {
      await gateway.stop();
      await anthropicMock.close();
      await openAiMock.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One row of the `requests` table, as the agent tests read it. */
export interface RequestRow {
  readonly request_id: string;
  readonly principal_id: string;
  readonly endpoint: string;
  readonly provider: string;
  readonly model: string;
  readonly operation: string;
  readonly status: number;
  readonly stream: boolean;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly cost: string | null;
  readonly tags: Record<string, string>;
}

/** The requests tagged `run=<runTag>`, once `count` of them are in ClickHouse. */
export async function requestRows(
  gatewayUrl: string,
  runTag: string,
  count: number,
): Promise<RequestRow[]> {
  return eventually(`${count} requests rows tagged ${runTag}`, async () => {
    const rows = await adminSql<RequestRow>(
      gatewayUrl,
      testKeys.admin,
      `SELECT request_id, principal_id, endpoint, provider, model, operation, status, stream,
              toUInt32(prompt_tokens) AS prompt_tokens, toUInt32(completion_tokens) AS completion_tokens,
              toString(cost_usd) AS cost, tags
       FROM requests FINAL WHERE tags['run'] = '${runTag}' ORDER BY time`,
    );
    return rows.length >= count ? rows : undefined;
  });
}

/** Tool calls and results recorded on `request.completed` events of requests tagged `run`. */
export interface ToolCallRow {
  readonly request_id: string;
  readonly principal_id: string;
  readonly tool_calls: string;
  readonly tool_results: string;
}

export async function toolCallRows(
  gatewayUrl: string,
  runTag: string,
  count: number,
): Promise<ToolCallRow[]> {
  return eventually(`${count} request.completed events tagged ${runTag}`, async () => {
    const rows = await adminSql<ToolCallRow>(
      gatewayUrl,
      testKeys.admin,
      `SELECT request_id, principal_id,
              JSONExtractRaw(payload, 'requestCompleted', 'toolCalls') AS tool_calls,
              JSONExtractRaw(payload, 'requestCompleted', 'toolResults') AS tool_results
       FROM events FINAL
       WHERE type = 'request.completed' AND tags['run'] = '${runTag}' ORDER BY occurred_at`,
    );
    // An empty list is left out of the event JSON.
    return rows.length >= count
      ? rows.map((row) => ({
          ...row,
          tool_calls: row.tool_calls || '[]',
          tool_results: row.tool_results || '[]',
        }))
      : undefined;
  });
}
