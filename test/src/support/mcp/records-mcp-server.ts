import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** A test upstream MCP server holding per-user records; it trusts only the bearer token. */
export interface RecordsMcpServer {
  readonly url: string;
  /** Bearer token → the user it belongs to; tests add tokens (e.g. exchanged ones). */
  readonly tokens: Map<string, string>;
  /** Every Authorization header value the server received, in order. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

/** Records per owner. */
export const records: Readonly<Record<string, readonly string[]>> = {
  alice: ['alice: salary review 2026', 'alice: medical leave form'],
  bob: ['bob: performance plan', 'bob: bank details'],
  'records-service': ['shared: holiday calendar', 'shared: questions to hr@example.com'],
};

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    request.on('error', reject);
  });
}

/** The MCP server one authenticated user talks to: it serves that user's records only. */
function recordsServerFor(user: string): McpServer {
  const server = new McpServer({ name: 'records', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'The user the presented token belongs to.' },
    async () => ({ content: [{ type: 'text', text: user }] }),
  );
  server.registerTool(
    'get_records',
    {
      description: "Reads an owner's records; only the owner may.",
      inputSchema: { owner: z.string() },
    },
    async ({ owner }) => {
      if (owner !== user) {
        return {
          content: [
            { type: 'text', text: `forbidden: the token belongs to ${user}, not ${owner}` },
          ],
          isError: true,
        };
      }
      return { content: (records[owner] ?? []).map((text) => ({ type: 'text', text })) };
    },
  );
  return server;
}

/**
 * Starts the records server (Streamable HTTP, stateless) on a free loopback port. A request
 * without a known bearer token gets 401 before any MCP handling.
 */
export async function startRecordsMcpServer(
  tokens: Record<string, string>,
): Promise<RecordsMcpServer> {
  const tokenMap = new Map(Object.entries(tokens));
  const authorizations: string[] = [];
  const http: Server = createServer((request, response) => {
    const authorization = request.headers.authorization ?? '';
    authorizations.push(authorization);
    const user = tokenMap.get(authorization.replace(/^Bearer /, ''));
    if (!user) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    void (async () => {
      const server = recordsServerFor(user);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      response.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request, response, await readBody(request));
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    tokens: tokenMap,
    authorizations,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
