import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Envelope, type ForwardReply, PrincipalKind } from '@aigw/contracts';
import { parseConfig, StaticConfigSource } from '@aigw/config';
import { createLogger } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { InMemoryLimiter } from '@aigw/limits';
import { ConnectionDirectory } from './connection-directory';
import { McpBroker } from './mcp-broker';
import { McpCallLimits } from './mcp-call-limits';
import { TokenExchanger } from './token-exchange';
import { ToolGuardrails } from './tool-guardrails';
import { UpstreamCredentials } from './upstream-credentials';
import { UpstreamSessions } from './upstream-sessions';

const everything = join(
  __dirname,
  '../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js',
);

const config = parseConfig(
  `version: 1
principals:
  alice: { groups: [eng] }
mcp:
  connections:
    everything:
      command: ${process.execPath}
      args: [${everything}, stdio]
      allow: { groups: [eng] }
      tools: { deny: [get-env] }
      rate_limit: { per_principal: { requests_per_minute: 50 } }
    limited:
      command: ${process.execPath}
      args: [${everything}, stdio]
      allow: { groups: [eng] }
      rate_limit: { per_connection: { requests_per_minute: 2 } }
`,
  'int-spec',
);

const alice = {
  id: 'alice',
  kind: PrincipalKind.PRINCIPAL_KIND_USER,
  groups: ['eng'],
  roles: [],
  tags: {},
};
const stranger = { ...alice, id: 'mallory', groups: ['sales'] };

describe('McpBroker against a real stdio MCP server (server-everything)', () => {
  const published: Envelope[] = [];
  const events: EventPublisher = {
    publish: (envelope) => void published.push(envelope),
    flush: async () => undefined,
    close: async () => undefined,
  };
  let broker: McpBroker;
  let nextId = 1;

  async function send(
    method: string,
    params: Record<string, unknown> = {},
    principal = alice,
    connection = 'everything',
  ): Promise<ForwardReply[]> {
    const replies: ForwardReply[] = [];
    const message = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }));
    for await (const reply of broker.forward({
      context: { requestId: `r${nextId}`, traceId: 't', principal, endpoint: '', tags: {} },
      connection,
      message,
      httpMethod: 'POST',
      callerJwt: '',
    })) {
      replies.push(reply);
    }
    return replies;
  }

  function json(reply: ForwardReply | undefined): Record<string, unknown> {
    return JSON.parse(Buffer.from(reply!.message).toString('utf8')) as Record<string, unknown>;
  }

  beforeAll(() => {
    const source = new StaticConfigSource(config);
    const credentials = new UpstreamCredentials(
      () => config.raw.mcp,
      new TokenExchanger(),
      undefined,
    );
    const logger = createLogger({ service: 'mcp-broker-int-spec' });
    broker = new McpBroker(
      new ConnectionDirectory(source),
      new UpstreamSessions(credentials, () => 60_000, logger),
      credentials,
      new ToolGuardrails({
        evaluate: () => Promise.reject(new Error('no guardrails are configured here')),
      }),
      undefined,
      new McpCallLimits(new InMemoryLimiter(), logger),
      events,
      logger,
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  it('initializes with the upstream capabilities', async () => {
    const [reply] = await send('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'spec', version: '1' },
    });
    const result = json(reply)['result'] as { protocolVersion: string; capabilities: object };
    expect(result.protocolVersion).toBe('2025-06-18');
    expect(result.capabilities).toHaveProperty('tools');
  });

  it('hides denied tools and refuses calling them', async () => {
    const [list] = await send('tools/list');
    const tools = (json(list)['result'] as { tools: { name: string }[] }).tools;
    expect(tools.map((tool) => tool.name)).toContain('echo');
    expect(tools.map((tool) => tool.name)).not.toContain('get-env');
    const [refused] = await send('tools/call', { name: 'get-env', arguments: {} });
    expect(json(refused)['error']).toMatchObject({ code: -32602 });
    const audit = published.at(-1)!.payload;
    expect(audit?.$case === 'mcpCalled' && audit.value.status).toBe('denied');
  });

  it('streams progress notifications before the response', async () => {
    const replies = await send('tools/call', {
      name: 'trigger-long-running-operation',
      arguments: { duration: 0.2, steps: 2 },
      _meta: { progressToken: 'agent-token' },
    });
    expect(replies.map((reply) => reply.notification)).toEqual([true, true, false]);
    expect(json(replies[0])).toMatchObject({
      method: 'notifications/progress',
      params: { progressToken: 'agent-token', progress: 1, total: 2 },
    });
  });

  it('refuses calls over the connection budget with 429', async () => {
    expect((await send('ping', {}, alice, 'limited'))[0]!.error).toBeUndefined();
    expect((await send('ping', {}, alice, 'limited'))[0]!.error).toBeUndefined();
    const [third] = await send('ping', {}, alice, 'limited');
    expect(third!.error).toMatchObject({ code: 'rate_limited', httpStatus: 429 });
  });

  it('refuses a principal the connection does not allow', async () => {
    const [reply] = await send('tools/list', {}, stranger);
    expect(reply!.error).toMatchObject({ code: 'permission_denied', httpStatus: 403 });
  });
});
