import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { agentSandbox, installAgentClis, runClaude, runCodex } from './support/agents/agent-cli';
import {
  type AgentsGateway,
  requestRows,
  startAgentsGateway,
  toolCallRows,
} from './support/agents/agents-gateway';
import { testKeys } from './support/gateway-keys';

const runId = Date.now().toString(36);

// The real coding-agent CLIs (pinned npm packages, installed by deploy/local/install-agents.sh)
// talking to the gateway over loopback only, with a gateway key; the gateway routes them to
// provider mocks that answer in the providers' documented shapes (streaming included).
describe('coding agents through the gateway (real CLIs)', () => {
  let gateway: AgentsGateway;
  let binDir: string;

  beforeAll(async () => {
    binDir = installAgentClis();
    gateway = await startAgentsGateway('agents-cli');
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  beforeEach(() => {
    gateway.anthropicMock.reset();
    gateway.openAiMock.reset();
  });

  it.each([
    ['claude-agent', 'anthropic', 'claude-sonnet-4-0'],
    ['claude-via-openai', 'openai', 'gpt-4o-mini'],
  ])('claude -p completes through %s and is recorded', async (endpoint, provider, model) => {
    const runTag = `claude-${endpoint}-${runId}`;
    const result = await runClaude({
      binDir,
      gatewayUrl: gateway.url,
      gatewayKey: testKeys.alice,
      model: endpoint,
      prompt: 'say hello to the gateway',
      tags: `run=${runTag},team=agents`,
    });

    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    // The mock echoes the last user message; Claude Code prints the model's text.
    expect(result.stdout).toContain('say hello to the gateway');
    expect(result.stdout).toContain('echo:');
    const rows = await requestRows(gateway.url, runTag, 1);
    for (const row of rows) {
      expect(row).toMatchObject({
        principal_id: 'alice',
        endpoint,
        provider,
        model,
        operation: 'messages',
        status: 200,
      });
      expect(row.tags).toMatchObject({ run: runTag, team: 'agents' });
      expect(row.prompt_tokens).toBeGreaterThan(0);
      expect(row.completion_tokens).toBeGreaterThan(0);
      expect(Number(row.cost)).toBeGreaterThan(0);
    }
    if (provider === 'anthropic')
      expect(gateway.anthropicMock.messageRequests().length).toBe(rows.length);
    else expect(gateway.openAiMock.chatRequests().length).toBe(rows.length);
  });

  it('claude -p runs a tool the model asks for; the call and its result are recorded per turn', async () => {
    const runTag = `claude-tool-${runId}`;
    const { home, work } = agentSandbox('claude-tool');
    onTestFinished(() => {
      rmSync(home, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    });
    writeFileSync(join(work, 'notes.txt'), 'the launch code word is pineapple\n');
    gateway.anthropicMock.script(
      { kind: 'tool-use', name: 'Read', input: { file_path: join(work, 'notes.txt') } },
      { kind: 'reply', content: 'The notes mention a code word.' },
    );
    const result = await runClaude({
      binDir,
      gatewayUrl: gateway.url,
      gatewayKey: testKeys.alice,
      model: 'claude-agent',
      prompt: 'read notes.txt and summarise it',
      tags: `run=${runTag}`,
      cwd: work,
    });

    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('The notes mention a code word.');
    // Claude Code really read the file and sent its content back as the tool result.
    const second = JSON.stringify(gateway.anthropicMock.messageRequests().at(-1)?.messages.at(-1));
    expect(second).toContain('tool_result');
    expect(second).toContain('pineapple');
    const events = await toolCallRows(gateway.url, runTag, 2);
    const calls = events.flatMap(
      (event) => JSON.parse(event.tool_calls) as { name: string; turn: number }[],
    );
    const results = events.flatMap(
      (event) =>
        JSON.parse(event.tool_results) as { name: string; turn: number; outputBytes: number }[],
    );
    expect(calls).toEqual([expect.objectContaining({ name: 'Read', turn: 1 })]);
    expect(results).toEqual([expect.objectContaining({ name: 'Read', turn: 1 })]);
    expect(results[0]!.outputBytes).toBeGreaterThan(0);
    expect(events.every((event) => event.principal_id === 'alice')).toBe(true);
  });

  it.each([
    ['codex-agent', 'openai', 'gpt-4o-mini'],
    ['codex-via-anthropic', 'anthropic', 'claude-sonnet-4-0'],
  ])(
    'codex exec completes through %s (Responses API) and is recorded',
    async (endpoint, provider, model) => {
      const runTag = `codex-${endpoint}-${runId}`;
      const result = await runCodex({
        binDir,
        baseUrl: `${gateway.url}/v1`,
        gatewayKey: testKeys.alice,
        model: endpoint,
        prompt: 'say hello to the gateway',
        tags: `run=${runTag},team=agents`,
      });

      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      // The mock echoes the user's turn (an Anthropic upstream gets Codex's context and prompt
      // as one user message: Anthropic turns alternate).
      expect(result.stdout).toContain('echo: ');
      expect(result.stdout).toContain('say hello to the gateway');
      const rows = await requestRows(gateway.url, runTag, 1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        principal_id: 'alice',
        endpoint,
        provider,
        model,
        operation: 'responses',
        status: 200,
        stream: true,
      });
      expect(rows[0]!.tags).toMatchObject({ run: runTag, team: 'agents' });
      expect(rows[0]!.prompt_tokens).toBeGreaterThan(0);
      expect(rows[0]!.completion_tokens).toBeGreaterThan(0);
      expect(Number(rows[0]!.cost)).toBeGreaterThan(0);
    },
  );

  it('codex exec runs a tool call the model asks for and sends its output back', async () => {
    const runTag = `codex-tool-${runId}`;
    gateway.openAiMock.script(
      { kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'echo tool-ran-$((6*7))' } },
      { kind: 'reply', content: 'The command ran.' },
    );
    const result = await runCodex({
      binDir,
      baseUrl: `${gateway.url}/v1`,
      gatewayKey: testKeys.alice,
      model: 'codex-agent',
      prompt: 'run the echo command',
      tags: `run=${runTag}`,
    });

    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('The command ran.');
    const requests = gateway.openAiMock.chatRequests();
    expect(requests).toHaveLength(2);
    const toolMessage = requests[1]!.messages.find((message) => message.role === 'tool');
    expect(toolMessage).toBeDefined();
    const events = await toolCallRows(gateway.url, runTag, 2);
    expect(JSON.parse(events[0]!.tool_calls)).toEqual([
      expect.objectContaining({ name: 'exec_command', turn: 1 }),
    ]);
    expect(JSON.parse(events[1]!.tool_results)).toEqual([
      expect.objectContaining({ name: 'exec_command', turn: 1 }),
    ]);
  });
});
