import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminSql } from './support/admin-sql';
import { eventually } from './support/child-process';
import { installAgentClis, runClaude, runCodex } from './support/agents/agent-cli';
import { type AgentsGateway, startAgentsGateway } from './support/agents/agents-gateway';
import { testKeys } from './support/gateway-keys';
import {
  type OAuthTokenEndpoint,
  startOAuthTokenEndpoint,
} from './support/mcp/oauth-token-endpoint';
import { type RecordsMcpServer, startRecordsMcpServer } from './support/mcp/records-mcp-server';

const subjectSecret = 'agents-e2e-subject-token-secret-0123456789';
const clientSecret = 'agents-e2e-oauth-client-secret-77';

interface McpCallRow {
  readonly principal_id: string;
  readonly mcp_method: string;
  readonly tool: string;
  readonly status: string;
  readonly on_behalf_of_user: boolean | number;
}

// Both CLIs get an MCP server that is really aigw's `/mcp/records` (Streamable HTTP, the
// gateway key as bearer). The gateway authorises each call, exchanges the user's identity for
// a token of the upstream records server (on behalf of the user) and audits it in mcp_calls.
describe('coding agents use an MCP server through aigw /mcp/<connection>', () => {
  let binDir: string;
  let records: RecordsMcpServer;
  let tokenEndpoint: OAuthTokenEndpoint;
  let gateway: AgentsGateway;

  beforeAll(async () => {
    binDir = installAgentClis();
    records = await startRecordsMcpServer({});
    tokenEndpoint = await startOAuthTokenEndpoint({
      clientId: 'aigw',
      clientSecret,
      subjectSecret,
      onIssued: (token, subject) => records.tokens.set(token, subject),
    });
    gateway = await startAgentsGateway('agents-mcp', {
      extraYaml: `mcp:
  subject_token:
    issuer: aigw-agents-e2e
    secret: \${E2E_AGENTS_SUBJECT_SECRET}
  connections:
    records:
      url: ${records.url}
      auth: obo
      token_exchange:
        token_endpoint: ${tokenEndpoint.url}
        client_id: aigw
        client_secret: \${E2E_AGENTS_CLIENT_SECRET}
        audience: records
      allow: { groups: [eng] }
`,
      env: { E2E_AGENTS_SUBJECT_SECRET: subjectSecret, E2E_AGENTS_CLIENT_SECRET: clientSecret },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await records?.close();
    await tokenEndpoint?.close();
  });

  beforeEach(() => {
    gateway.anthropicMock.reset();
    gateway.openAiMock.reset();
  });

  async function toolCalls(tool: string, since: string): Promise<McpCallRow[]> {
    return eventually(`mcp_calls rows for ${tool}`, async () => {
      const rows = await adminSql<McpCallRow>(
        gateway.url,
        testKeys.admin,
        `SELECT principal_id, mcp_method, tool, status, on_behalf_of_user FROM mcp_calls FINAL
         WHERE connection = 'records' AND mcp_method = 'tools/call' AND tool = '${tool}'
           AND time >= parseDateTime64BestEffort('${since}') ORDER BY time`,
      );
      return rows.length > 0 ? rows : undefined;
    });
  }

  it('claude -p lists the MCP tool, calls it for the user, and the call is audited', async () => {
    const since = new Date().toISOString();
    const mcpConfig = JSON.stringify({
      mcpServers: {
        records: {
          type: 'http',
          url: `${gateway.url}/mcp/records`,
          headers: { Authorization: `Bearer ${testKeys.alice}` },
        },
      },
    });
    const toolName = 'mcp__records__get_records';
    gateway.anthropicMock.script(
      { kind: 'tool-use', name: toolName, input: { owner: 'alice' } },
      { kind: 'reply', content: 'Your records are in.' },
    );
    const result = await runClaude({
      binDir,
      gatewayUrl: gateway.url,
      gatewayKey: testKeys.alice,
      model: 'claude-agent',
      prompt: 'show my records',
      extraArgs: ['--mcp-config', mcpConfig, '--strict-mcp-config', '--allowedTools', toolName],
    });

    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Your records are in.');
    const requests = gateway.anthropicMock.messageRequests();
    // Listed: the MCP tool reached the model as a tool of the first request.
    expect(requests[0]?.tools?.map((tool) => tool.name)).toContain(toolName);
    // Called on behalf of alice: the records server answered with alice's records only.
    const toolResult = JSON.stringify(requests.at(-1)?.messages.at(-1));
    expect(toolResult).toContain('tool_result');
    expect(toolResult).toContain('alice: salary review 2026');
    const rows = await toolCalls('get_records', since);
    expect(rows[0]).toMatchObject({ principal_id: 'alice', status: 'ok' });
    expect(Boolean(rows[0]!.on_behalf_of_user)).toBe(true);
  });

  it('codex exec lists the MCP tool, calls it for the user, and the call is audited', async () => {
    const since = new Date().toISOString();
    const mcpConfig = `[mcp_servers.records]
url = "${gateway.url}/mcp/records"
bearer_token_env_var = "AIGW_GATEWAY_KEY"
# codex exec never asks: the gateway's permissions decide (approve here, authorise there).
default_tools_approval_mode = "approve"
`;
    // First turn: which name does Codex give the MCP tool? (It must be offered to the model.)
    const listing = await runCodex({
      binDir,
      baseUrl: `${gateway.url}/v1`,
      gatewayKey: testKeys.alice,
      model: 'codex-agent',
      prompt: 'hello',
      extraConfig: mcpConfig,
    });
    expect(listing.code, `${listing.stdout}\n${listing.stderr}`).toBe(0);
    const offered = (gateway.openAiMock.chatRequests()[0]?.tools ?? []).flatMap((tool) =>
      tool.type === 'function' ? [tool.function.name] : [],
    );
    const toolName = offered.find((name) => name.endsWith('get_records'));
    expect(toolName, `tools offered: ${offered.join(', ')}`).toBeDefined();

    gateway.openAiMock.reset();
    gateway.openAiMock.script(
      { kind: 'tool-call', name: toolName!, arguments: { owner: 'alice' } },
      { kind: 'reply', content: 'Your records are in.' },
    );
    const result = await runCodex({
      binDir,
      baseUrl: `${gateway.url}/v1`,
      gatewayKey: testKeys.alice,
      model: 'codex-agent',
      prompt: 'show my records',
      extraConfig: mcpConfig,
    });

    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Your records are in.');
    const requests = gateway.openAiMock.chatRequests();
    const toolMessage = requests.at(-1)?.messages.find((message) => message.role === 'tool');
    expect(JSON.stringify(toolMessage)).toContain('alice: salary review 2026');
    const rows = await toolCalls('get_records', since);
    expect(rows[0]).toMatchObject({ principal_id: 'alice', status: 'ok' });
    expect(Boolean(rows[0]!.on_behalf_of_user)).toBe(true);
  });
});
