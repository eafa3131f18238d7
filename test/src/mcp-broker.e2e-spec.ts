import { type Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from './support/admin-sql';
import { eventually } from './support/child-process';
import {
  connectAgent,
  mcpKeys,
  mcpSecrets,
  type McpStandaloneGateway,
  startMcpStandaloneGateway,
} from './support/mcp/mcp-gateway';
import {
  type OAuthTokenEndpoint,
  startOAuthTokenEndpoint,
} from './support/mcp/oauth-token-endpoint';
import { type RecordsMcpServer, startRecordsMcpServer } from './support/mcp/records-mcp-server';

/** Tokens the records server knows: each user's own, and the shared service token. */
const upstreamTokens = {
  alice: 'records-token-of-alice-1a2b',
  bob: 'records-token-of-bob-3c4d',
};

type TextContent = { type: string; text?: string };

function texts(result: unknown): string[] {
  const content = (result as { content?: unknown }).content;
  return Array.isArray(content) ? (content as TextContent[]).map((item) => item.text ?? '') : [];
}

interface McpCallRow {
  connection: string;
  principal_id: string;
  mcp_method: string;
  tool: string;
  status: string;
  auth: string;
  on_behalf_of_user: boolean | number;
  http_method: string;
  error_code: string;
  argument_bytes: number;
  result_bytes: number;
  latency_ms: number;
}

describe('MCP broker: governed MCP servers through the standalone gateway', () => {
  let records: RecordsMcpServer;
  let tokenEndpoint: OAuthTokenEndpoint;
  let gateway: McpStandaloneGateway;
  const agents: Client[] = [];

  async function agent(connection: string, key: string): Promise<Client> {
    const client = await connectAgent(gateway.baseUrl, connection, key);
    agents.push(client);
    return client;
  }

  async function mcpCalls(where: string): Promise<McpCallRow[]> {
    return adminSql<McpCallRow>(
      gateway.baseUrl,
      mcpKeys.admin,
      `SELECT connection, principal_id, mcp_method, tool, status, auth, on_behalf_of_user,
              http_method, error_code, argument_bytes, result_bytes, latency_ms
       FROM mcp_calls FINAL WHERE ${where} ORDER BY time`,
    );
  }

  async function eventuallyRows(where: string, count = 1): Promise<McpCallRow[]> {
    return eventually(`mcp_calls rows where ${where}`, async () => {
      const rows = await mcpCalls(where);
      return rows.length >= count ? rows : undefined;
    });
  }

  beforeAll(async () => {
    records = await startRecordsMcpServer({
      [upstreamTokens.alice]: 'alice',
      [upstreamTokens.bob]: 'bob',
      [mcpSecrets.serviceToken]: 'records-service',
    });
    tokenEndpoint = await startOAuthTokenEndpoint({
      clientId: 'aigw',
      clientSecret: mcpSecrets.clientSecret,
      subjectSecret: mcpSecrets.subjectSecret,
      onIssued: (token, subject) => records.tokens.set(token, subject),
    });
    gateway = await startMcpStandaloneGateway({
      recordsUrl: records.url,
      tokenEndpointUrl: tokenEndpoint.url,
    });
  });

  afterAll(async () => {
    await Promise.all(agents.map((client) => client.close().catch(() => undefined)));
    await gateway?.close();
    await records?.close();
    await tokenEndpoint?.close();
  });

  describe('server-everything (stdio upstream) with the official SDK client', () => {
    it('lists only the tools the principal may call', async () => {
      const alice = await agent('everything', mcpKeys.alice);
      const names = (await alice.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('echo');
      expect(names).toContain('get-sum');
      expect(names).toContain('trigger-long-running-operation');
      expect(names).not.toContain('get-env');

      const bob = await agent('everything', mcpKeys.bob);
      const bobNames = (await bob.listTools()).tools.map((tool) => tool.name);
      expect(bobNames).toContain('echo');
      // Granted to alice only.
      expect(bobNames).not.toContain('trigger-long-running-operation');
    });

    it('calls tools and returns their results', async () => {
      const alice = await agent('everything', mcpKeys.alice);
      const echo = await alice.callTool({ name: 'echo', arguments: { message: 'hello broker' } });
      expect(texts(echo).join()).toContain('hello broker');
      const sum = await alice.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
      expect(texts(sum).join()).toContain('The sum of 2 and 3 is 5.');
    });

    it('masks PII in tool arguments with the connection guardrail', async () => {
      const alice = await agent('everything', mcpKeys.alice);
      const echo = await alice.callTool({
        name: 'echo',
        arguments: { message: 'write to jane@example.com' },
      });
      expect(texts(echo).join()).toContain('write to [EMAIL_1]');
      expect(texts(echo).join()).not.toContain('jane@example.com');
    });

    it('relays progress notifications of a long-running tool to the agent', async () => {
      const alice = await agent('everything', mcpKeys.alice);
      const progress: number[] = [];
      const result = await alice.callTool(
        { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
        undefined,
        { onprogress: (update) => progress.push(update.progress) },
      );
      expect(texts(result).join()).toContain('Long running operation completed');
      expect(progress).toEqual([1, 2, 3]);
    });

    it('proxies resources and prompts', async () => {
      const alice = await agent('everything', mcpKeys.alice);
      const resources = await alice.listResources();
      expect(resources.resources.length).toBeGreaterThan(0);
      const first = resources.resources[0]!;
      const read = await alice.readResource({ uri: first.uri });
      expect(read.contents[0]?.uri).toBe(first.uri);

      const prompts = await alice.listPrompts();
      const names = prompts.prompts.map((prompt) => prompt.name);
      expect(names.length).toBeGreaterThan(0);
      const simple = prompts.prompts.find((prompt) => !prompt.arguments?.some((a) => a.required));
      expect(simple).toBeDefined();
      const prompt = await alice.getPrompt({ name: simple!.name });
      expect(prompt.messages.length).toBeGreaterThan(0);
    });

    it('refuses a denied tool with an MCP error and a tool granted to someone else', async () => {
      const alice = await agent('everything', mcpKeys.alice);
      const denied = await alice
        .callTool({ name: 'get-env', arguments: {} })
        .catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(McpError);
      expect((denied as McpError).message).toContain('Tool "get-env" is not available');

      const bob = await agent('everything', mcpKeys.bob);
      const notGranted = await bob
        .callTool({
          name: 'trigger-long-running-operation',
          arguments: { duration: 0.1, steps: 1 },
        })
        .catch((e: unknown) => e);
      expect(notGranted).toBeInstanceOf(McpError);
    });

    it('records every operation in mcp_calls, the denied ones too', async () => {
      const denied = await eventuallyRows(`tool = 'get-env'`);
      expect(denied[0]).toMatchObject({
        connection: 'everything',
        principal_id: 'alice',
        mcp_method: 'tools/call',
        status: 'denied',
        error_code: 'permission_denied',
        http_method: 'POST',
      });
      const sums = await eventuallyRows(`tool = 'get-sum'`);
      expect(sums[0]).toMatchObject({ status: 'ok', auth: 'none', principal_id: 'alice' });
      expect(sums[0]!.argument_bytes).toBeGreaterThan(0);
      expect(sums[0]!.result_bytes).toBeGreaterThan(0);
      const lists = await eventuallyRows(
        `connection = 'everything' AND mcp_method = 'tools/list' AND principal_id = 'bob'`,
      );
      expect(lists[0]!.status).toBe('ok');
    });
  });

  describe('who may connect', () => {
    it('answers 401 without a valid key and 403 to a principal not allowed on the connection', async () => {
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'curl', version: '1' },
        },
      };
      const post = (key?: string) =>
        fetch(`${gateway.baseUrl}/mcp/everything`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: JSON.stringify(initialize),
        });
      const anonymous = await post();
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { error: { code: number } }).error.code).toBe(-32000);
      const wrongKey = await post('aigw-not-a-key');
      expect(wrongKey.status).toBe(401);
      const carol = await post(mcpKeys.carol);
      expect(carol.status).toBe(403);
      const body = (await carol.json()) as {
        jsonrpc: string;
        id: number;
        error: { message: string };
      };
      expect(body).toMatchObject({ jsonrpc: '2.0', id: 1 });
      expect(body.error.message).toContain('may not use MCP connection "everything"');

      const unknown = await fetch(`${gateway.baseUrl}/mcp/nope`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mcpKeys.alice}` },
        body: JSON.stringify(initialize),
      });
      expect(unknown.status).toBe(404);

      const refusedRows = await eventuallyRows(
        `connection = 'everything' AND principal_id = 'carol'`,
      );
      expect(refusedRows[0]).toMatchObject({ status: 'denied', mcp_method: 'initialize' });
      const anonymousRows = await eventuallyRows(
        `connection = 'everything' AND status = 'unauthenticated'`,
        2,
      );
      expect(anonymousRows[0]!.principal_id).toBe('');
    });
  });

  describe('on-behalf-of-user execution (records server checks the bearer token)', () => {
    it("gives alice's agent alice's records and refuses bob's, with alice's own credential", async () => {
      for (const [user, key] of [
        ['alice', mcpKeys.alice],
        ['bob', mcpKeys.bob],
      ] as const) {
        const stored = await fetch(`${gateway.baseUrl}/mcp-credentials/records-obo`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ credential: upstreamTokens[user] }),
        });
        expect(stored.status).toBe(204);
      }
      const seenBefore = records.authorizations.length;
      const alice = await agent('records-obo', mcpKeys.alice);
      expect(texts(await alice.callTool({ name: 'whoami', arguments: {} }))).toEqual(['alice']);
      const own = await alice.callTool({ name: 'get_records', arguments: { owner: 'alice' } });
      expect(own.isError).toBeFalsy();
      expect(texts(own)).toContain('alice: salary review 2026');
      const others = await alice.callTool({ name: 'get_records', arguments: { owner: 'bob' } });
      expect(others.isError).toBe(true);
      expect(texts(others).join()).toContain('forbidden');
      expect(texts(others).join()).not.toContain('bank details');

      const bob = await agent('records-obo', mcpKeys.bob);
      expect(texts(await bob.callTool({ name: 'whoami', arguments: {} }))).toEqual(['bob']);

      const seen = records.authorizations.slice(seenBefore);
      expect(seen).toContain(`Bearer ${upstreamTokens.alice}`);
      expect(seen).toContain(`Bearer ${upstreamTokens.bob}`);
      for (const value of seen) {
        expect(value).not.toContain(mcpKeys.alice);
        expect(value).not.toContain(mcpKeys.bob);
      }
      const rows = await eventuallyRows(
        `connection = 'records-obo' AND tool = 'get_records' AND principal_id = 'alice'`,
        2,
      );
      expect(rows.every((row) => Number(row.on_behalf_of_user) === 1 && row.auth === 'obo')).toBe(
        true,
      );
    });

    it('refuses a per-user connection to a user who stored no credential', async () => {
      const stored = await fetch(`${gateway.baseUrl}/mcp-credentials/records-obo`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mcpKeys.carol}` },
        body: JSON.stringify({ credential: 'whatever' }),
      });
      expect(stored.status).toBe(403);
    });

    it('runs a service connection on the shared credential and audits it as such', async () => {
      const alice = await agent('records-service', mcpKeys.alice);
      expect(texts(await alice.callTool({ name: 'whoami', arguments: {} }))).toEqual([
        'records-service',
      ]);
      expect(records.authorizations).toContain(`Bearer ${mcpSecrets.serviceToken}`);
      // The connection's result guardrail masks what the tool returns.
      const shared = await alice.callTool({
        name: 'get_records',
        arguments: { owner: 'records-service' },
      });
      expect(texts(shared)).toContain('shared: questions to [EMAIL_1]');
      expect(JSON.stringify(shared)).not.toContain('hr@example.com');
      const rows = await eventuallyRows(`connection = 'records-service' AND tool = 'whoami'`);
      expect(rows[0]).toMatchObject({ auth: 'service', status: 'ok', principal_id: 'alice' });
      expect(Number(rows[0]!.on_behalf_of_user)).toBe(0);
    });

    it('exchanges a token for the user (RFC 8693): the exchanged token reaches the upstream', async () => {
      const seenBefore = records.authorizations.length;
      const alice = await agent('records-exchange', mcpKeys.alice);
      expect(texts(await alice.callTool({ name: 'whoami', arguments: {} }))).toEqual(['alice']);
      const own = await alice.callTool({ name: 'get_records', arguments: { owner: 'alice' } });
      expect(texts(own)).toContain('alice: medical leave form');
      const others = await alice.callTool({ name: 'get_records', arguments: { owner: 'bob' } });
      expect(others.isError).toBe(true);

      const grant = tokenEndpoint.grants.find((entry) => entry.subject === 'alice');
      expect(grant).toBeDefined();
      expect(grant!.audience).toBe('records');
      const seen = records.authorizations.slice(seenBefore);
      expect(seen.length).toBeGreaterThan(0);
      // Only the exchanged token: never the gateway key, never the subject token itself.
      expect(new Set(seen)).toEqual(new Set([`Bearer ${grant!.issuedToken}`]));
      // Cached until it expires: one exchange for the whole session.
      expect(tokenEndpoint.grants.filter((entry) => entry.subject === 'alice')).toHaveLength(1);
    });
  });
});
