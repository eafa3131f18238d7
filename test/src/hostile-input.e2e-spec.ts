import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OpenAiMock, startOpenAiMock, waitForHttp } from '@aigw/testing';
import { type RunningProcess, startNodeProcess } from './support/child-process';
import { gatewayConfigYaml, upstreamKey } from './support/gateway-config';
import { testKeys } from './support/gateway-keys';

/**
 * Hostile input against the public routes of a running gateway: whatever arrives, the answer is
 * an error in the route's own format (never a 500, never a crash), no key is echoed back, and
 * the gateway keeps serving. Property-based with a fixed number of cases and a fixed seed, so a
 * failure reproduces.
 */
const requestTimeoutMs = 1500;
const bodyLimitBytes = 64 * 1024;
const postRoutes = [
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/messages',
  '/v1/messages/count_tokens',
  '/v1/responses',
  '/admin/sql',
] as const;

type Route = (typeof postRoutes)[number];

interface Exchange {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** True when `text` is this route's error JSON: Anthropic's shape under /v1/messages. */
function isRouteError(route: string, text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  const error = (body as { error?: { message?: unknown; type?: unknown } }).error;
  if (typeof error?.message !== 'string' || typeof error.type !== 'string') return false;
  if (route.startsWith('/v1/messages')) return (body as { type?: unknown }).type === 'error';
  return true;
}

/** Sends raw bytes over a fresh socket; resolves with everything the server wrote back. */
function rawExchange(port: number, bytes: Buffer | string, keepOpenMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes);
    if (keepOpenMs === 0) socket.end();
  });
}

describe('hostile input: clear errors, no crash, no leak', () => {
  let gateway: RunningProcess;
  let upstream: OpenAiMock;
  let dataDir: string;
  let port: number;
  let baseUrl: string;

  beforeAll(async () => {
    upstream = await startOpenAiMock({ apiKey: upstreamKey });
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-hostile-'));
    port = await freePort();
    const configPath = join(dataDir, 'aigw.yaml');
    const config = gatewayConfigYaml({
      httpPort: port,
      dataDir: join(dataDir, 'data'),
      upstreamBaseUrl: upstream.baseUrl,
      deadBaseUrl: `http://127.0.0.1:${await freePort()}/v1`,
    }).replace(
      `    port: ${port}\n`,
      `    port: ${port}\n    body_limit_bytes: ${bodyLimitBytes}\n    request_timeout_ms: ${requestTimeoutMs}\n`,
    );
    writeFileSync(configPath, config);
    gateway = startNodeProcess('aigw', 'services/standalone/dist/main.js', {
      AIGW_CONFIG: configPath,
      E2E_UPSTREAM_KEY: upstreamKey,
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/readyz`, 60_000);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const send = async (
    route: Route,
    body: string | Uint8Array,
    key: string = testKeys.alice,
  ): Promise<Exchange> => {
    const response = await fetch(`${baseUrl}${route}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };

  const expectHandled = (route: Route, exchange: Exchange): void => {
    expect(exchange.status, exchange.text).not.toBe(500);
    expect(exchange.text).not.toContain(testKeys.alice);
    expect(exchange.text).not.toContain(upstreamKey);
    if (exchange.status >= 400) {
      expect(isRouteError(route, exchange.text), `${route} → ${exchange.text}`).toBe(true);
    }
  };

  // Field values of every JSON type where the APIs expect specific ones.
  const anyValue = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant(null),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  const chatLike = fc.record(
    {
      model: fc.oneof(fc.constantFrom('chat', 'strict', 'nope', ''), anyValue),
      messages: fc.oneof(
        fc.array(
          fc.record(
            {
              role: fc.oneof(fc.constantFrom('user', 'system', 'assistant', 'tool'), anyValue),
              content: anyValue,
              tool_calls: anyValue,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 4 },
        ),
        anyValue,
      ),
      input: anyValue,
      max_tokens: fc.oneof(fc.integer(), anyValue),
      stream: fc.oneof(fc.boolean(), anyValue),
      tools: anyValue,
      sql: anyValue,
      __proto__: anyValue,
      unknown_field: anyValue,
    },
    { requiredKeys: [] },
  );
  const bodies = fc.oneof(
    chatLike.map((value) => JSON.stringify(value)),
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }),
  );

  it('answers arbitrary bodies on every public route in the route’s error format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postRoutes), bodies, async (route, body) => {
        // Streams that succeed are drained by send(); a 200 is fine, a 500 never is.
        expectHandled(route, await send(route, body));
      }),
      { numRuns: 300, seed: 20261125, endOnFailure: true },
    );
  });

  it('refuses deeply nested JSON and invalid UTF-8 with 400', async () => {
    const depth = 20_000;
    for (const route of postRoutes) {
      const nested = await send(route, `{"model":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      expectHandled(route, nested);
      expect(nested.status).toBeGreaterThanOrEqual(400);
    }
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"model":"chat","messages":[{"role":"user","content":"'),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from('"}]}'),
    ]);
    const result = await send('/v1/chat/completions', invalidUtf8);
    expectHandled('/v1/chat/completions', result);
  });

  it('answers a body over the configured limit with 413', async () => {
    const huge = JSON.stringify({ model: 'chat', messages: [], pad: 'x'.repeat(bodyLimitBytes) });
    for (const route of postRoutes) {
      const exchange = await send(route, huge);
      expect(exchange.status, route).toBe(413);
      expectHandled(route, exchange);
    }
  });

  it('answers header injection and broken HTTP with a JSON 400 and closes', async () => {
    const injected = await rawExchange(
      port,
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n' +
        'x-aigw-tags: team=a\rX-Injected: 1\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(injected).toMatch(/^HTTP\/1\.1 400 /);
    expect(injected).toContain('"type":"invalid_request_error"');
    const garbage = await rawExchange(
      port,
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a]),
    );
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    const hugeHeader = await rawExchange(
      port,
      `GET /v1/models HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    expect(hugeHeader).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('times out slow clients with 408 while serving everyone else', async () => {
    // Twenty clients that send half a request and stall.
    const slow = Array.from({ length: 20 }, () =>
      rawExchange(
        port,
        'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 100\r\n\r\n{"mo',
        requestTimeoutMs * 10,
      ),
    );
    const served = await send(
      '/v1/chat/completions',
      JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'still here?' }] }),
    );
    expect(served.status).toBe(200);
    for (const answer of await Promise.all(slow)) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is still alive and serving after all of the above', async () => {
    expect(gateway.child.exitCode).toBeNull();
    const response = await fetch(`${baseUrl}/readyz`);
    expect(response.status).toBe(200);
  });
});
