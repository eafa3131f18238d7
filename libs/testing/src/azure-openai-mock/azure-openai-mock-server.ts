import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request as httpRequest,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo } from 'node:net';
import { startOpenAiMock } from '../openai-mock/openai-mock-server';
import { type OpenAiMock, type OpenAiMockOptions } from '../openai-mock/openai-mock.types';

const host = '127.0.0.1';
const route = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

export interface AzureOpenAiMockOptions {
  /** When set, every request must carry `api-key: <apiKey>` or gets a 401. */
  readonly apiKey?: string;
  /** Accepted `api-version` values (default: any non-empty value). */
  readonly apiVersions?: readonly string[];
  /** Options of the OpenAI mock behind (its own key check is not used). */
  readonly openAi?: Omit<OpenAiMockOptions, 'apiKey'>;
}

/** One request as the Azure front received it. */
export interface AzureRecordedRequest {
  readonly path: string;
  readonly deployment: string;
  readonly apiVersion: string | null;
  readonly headers: IncomingHttpHeaders;
}

/** A mock of Azure OpenAI: Azure's URLs and auth in front of the OpenAI mock. */
export interface AzureOpenAiMock {
  /** The resource endpoint, as the gateway's `endpoint`, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** The OpenAI mock that answers: script faults and read bodies there. */
  readonly openAi: OpenAiMock;
  /** Every request that reached the front since start or `reset()`. */
  readonly requests: readonly AzureRecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a mock of Azure OpenAI on 127.0.0.1:
 * `POST /openai/deployments/{deployment}/chat/completions|embeddings?api-version=…` with an
 * `api-key` header. Checked requests are passed, body and answer untouched (streams
 * included), to an OpenAI mock; a body without `model` gets the deployment name as model.
 */
export async function startAzureOpenAiMock(
  options: AzureOpenAiMockOptions = {},
): Promise<AzureOpenAiMock> {
  const openAi = await startOpenAiMock(options.openAi);
  const recorded: AzureRecordedRequest[] = [];
  const server = createServer({ noDelay: true }, (request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) azureError(response, 500, 'InternalServerError', 'mock failed');
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://mock');
    const text = await readBody(request);
    const match = request.method === 'POST' ? route.exec(url.pathname) : null;
    const apiVersion = url.searchParams.get('api-version');
    const deployment = match ? decodeURIComponent(match[1]!) : '';
    recorded.push({ path: url.pathname, deployment, apiVersion, headers: request.headers });
    if (options.apiKey !== undefined && request.headers['api-key'] !== options.apiKey) {
      azureError(
        response,
        401,
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint.',
      );
      return;
    }
    if (!match) return azureError(response, 404, '404', 'Resource not found');
    if (!apiVersion || (options.apiVersions && !options.apiVersions.includes(apiVersion))) {
      return azureError(response, 404, '404', 'Resource not found');
    }
    let body = text;
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if (parsed['model'] === undefined) body = JSON.stringify({ ...parsed, model: deployment });
    } catch {
      // Not JSON: the OpenAI mock answers it as OpenAI does.
    }
    const upstream = httpRequest({
      host,
      port: openAi.port,
      method: 'POST',
      path: `/v1/${match[2]}`,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.on('error', () => response.destroy());
      answer.on('aborted', () => response.destroy());
      answer.on('close', () => {
        if (!answer.complete) response.destroy();
      });
    });
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    upstream.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    openAi,
    get requests() {
      return recorded;
    },
    reset() {
      recorded.length = 0;
      openAi.reset();
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, openAi.close()]);
    },
  };
}

/** Azure's error JSON: `{"error":{"code","message"}}`. */
function azureError(response: ServerResponse, status: number, code: string, message: string) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { code, message } }));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
