import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  decideMessageAnswer,
  echoLastUserMessage,
  inputTokensOf,
  type MessageContentOverride,
  usageOf,
} from './anthropic-answer';
import { anthropicErrorForStatus, anthropicMockErrorBody } from './anthropic-error-body';
import { buildMessage, buildStreamEvents } from './anthropic-message-builder';
import {
  type AnthropicMockDelivery,
  type AnthropicMockReply,
  writeAnthropicReply,
} from './anthropic-mock-reply';
import {
  type AnthropicMock,
  type AnthropicMockFault,
  type AnthropicMockOptions,
  type AnthropicMockPath,
  type AnthropicRecordedRequest,
} from './anthropic-mock.types';
import {
  countTokensRequestSchema,
  messagesRequestSchema,
  type MockMessagesRequest,
  requestProblem,
} from './anthropic-request.schema';

const host = '127.0.0.1';

/**
 * Starts a mock of the Anthropic Messages API (`POST /v1/messages`, JSON and SSE, and
 * `POST /v1/messages/count_tokens`) on 127.0.0.1. Like the OpenAI mock it echoes the last user
 * message as `echo: <text>` and counts `ceil(characters / 4)` tokens per text. Requests need an
 * `anthropic-version` header, and `x-api-key` when `options.apiKey` is set.
 */
export async function startAnthropicMock(
  options: AnthropicMockOptions = {},
): Promise<AnthropicMock> {
  const mock = new AnthropicMockServer(options);
  await mock.listen(options.port ?? 0);
  return mock;
}

class AnthropicMockServer implements AnthropicMock {
  private readonly server: Server;
  private readonly recorded: AnthropicRecordedRequest[] = [];
  private readonly faults: AnthropicMockFault[] = [];
  private readonly closing = new AbortController();
  private sequence = 0;
  private boundPort = 0;

  constructor(private readonly options: AnthropicMockOptions) {
    this.server = createServer({ noDelay: true }, (request, response) => {
      void this.handle(request, response);
    });
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  get baseUrl(): string {
    return `http://${host}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  get requests(): readonly AnthropicRecordedRequest[] {
    return this.recorded;
  }

  get pendingFaults(): number {
    return this.faults.length;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  messageRequests(): MockMessagesRequest[] {
    return this.recorded
      .filter((request) => request.method === 'POST' && request.path === '/v1/messages')
      .map((request) => request.body as MockMessagesRequest);
  }

  script(...faults: AnthropicMockFault[]): void {
    this.faults.push(...faults);
  }

  reset(): void {
    this.recorded.length = 0;
    this.faults.length = 0;
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const text = await readBody(request);
      const path = pathOf(request.url);
      const body = parseJson(text);
      if (this.options.recordRequests !== false) {
        this.recorded.push({ method: request.method ?? '', path, headers: request.headers, body });
      }
      const sequence = ++this.sequence;
      const settings = {
        requestId: `req_mock_${sequence}`,
        eventIntervalMs: this.options.streamEventIntervalMs ?? 0,
        signal: this.closing.signal,
      };
      const route = routeOf(request.method, path);
      const rejection = route ? this.checkHeaders(request) : notFound(request.method, path);
      if (rejection || !route) {
        await writeAnthropicReply(
          response,
          rejection ?? notFound(request.method, path),
          complete,
          settings,
        );
        return;
      }
      const fault = this.takeFault(route);
      const latencyMs =
        (this.options.defaultLatencyMs ?? 0) + (fault?.kind === 'delay' ? fault.ms : 0);
      if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: this.closing.signal });
      if (fault?.kind === 'status') {
        await writeAnthropicReply(response, statusReply(fault), complete, settings);
        return;
      }
      if (fault?.kind === 'hang' && fault.afterEvents === undefined) return;
      const override = fault?.kind === 'reply' || fault?.kind === 'tool-use' ? fault : undefined;
      const reply =
        route === '/v1/messages'
          ? this.answerMessages(body, override, sequence)
          : answerCountTokens(body);
      await writeAnthropicReply(response, reply, deliveryOf(fault), settings);
    } catch {
      if (!response.headersSent && !response.destroyed && !this.closing.signal.aborted) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify(anthropicErrorForStatus(500)));
      }
    }
  }

  private answerMessages(
    body: unknown,
    override: MessageContentOverride | undefined,
    sequence: number,
  ): AnthropicMockReply {
    const parsed = messagesRequestSchema.safeParse(body);
    if (!parsed.success) return invalidRequest(requestProblem(parsed.error));
    const request = parsed.data;
    const answer = decideMessageAnswer(
      request,
      override,
      this.options.reply ?? echoLastUserMessage,
      `toolu_mock_${sequence}`,
    );
    const usage = usageOf(request, answer, override);
    const id = `msg_mock_${sequence}`;
    if (request.stream === true) {
      return { type: 'sse', events: buildStreamEvents(id, request.model, answer, usage) };
    }
    return { type: 'json', status: 200, body: buildMessage(id, request.model, answer, usage) };
  }

  private checkHeaders(request: IncomingMessage): AnthropicMockReply | undefined {
    // The API documents `x-api-key`; newer SDKs send the same key as a Bearer token.
    const apiKey =
      request.headers['x-api-key'] ??
      /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (this.options.apiKey !== undefined && apiKey !== this.options.apiKey) {
      return {
        type: 'json',
        status: 401,
        body: anthropicMockErrorBody('authentication_error', 'invalid x-api-key'),
      };
    }
    if (!request.headers['anthropic-version']) {
      return invalidRequest('anthropic-version: header is required');
    }
    return undefined;
  }

  private takeFault(path: AnthropicMockPath): AnthropicMockFault | undefined {
    const index = this.faults.findIndex((fault) => {
      const only = fault.path ?? (isMessageOnly(fault) ? '/v1/messages' : undefined);
      return only === undefined || only === path;
    });
    return index === -1 ? undefined : this.faults.splice(index, 1)[0];
  }
}

const complete: AnthropicMockDelivery = { kind: 'complete' };

function isMessageOnly(fault: AnthropicMockFault): boolean {
  return fault.kind === 'reply' || fault.kind === 'tool-use' || fault.kind === 'stream-error';
}

function answerCountTokens(body: unknown): AnthropicMockReply {
  const parsed = countTokensRequestSchema.safeParse(body);
  if (!parsed.success) return invalidRequest(requestProblem(parsed.error));
  return { type: 'json', status: 200, body: { input_tokens: inputTokensOf(parsed.data) } };
}

function deliveryOf(fault: AnthropicMockFault | undefined): AnthropicMockDelivery {
  switch (fault?.kind) {
    case undefined:
    case 'status':
    case 'delay':
    case 'reply':
    case 'tool-use':
      return complete;
    case 'hang':
      return { kind: 'stall', afterEvents: fault.afterEvents ?? 0 };
    case 'drop-mid-stream':
      return { kind: 'drop', afterEvents: fault.afterEvents };
    case 'malformed-json':
      return { kind: 'malformed' };
    case 'stream-error':
      return {
        kind: 'stream-error',
        afterEvents: fault.afterEvents,
        errorType: fault.errorType ?? 'overloaded_error',
      };
  }
}

function statusReply(fault: Extract<AnthropicMockFault, { kind: 'status' }>): AnthropicMockReply {
  return {
    type: 'json',
    status: fault.status,
    body: anthropicErrorForStatus(fault.status, fault.message),
    headers:
      fault.retryAfterSeconds === undefined
        ? undefined
        : { 'retry-after': String(fault.retryAfterSeconds) },
  };
}

function routeOf(method: string | undefined, path: string): AnthropicMockPath | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/v1/messages' || path === '/v1/messages/count_tokens') return path;
  return undefined;
}

function invalidRequest(message: string): AnthropicMockReply {
  return {
    type: 'json',
    status: 400,
    body: anthropicMockErrorBody('invalid_request_error', message),
  };
}

function notFound(method: string | undefined, path: string): AnthropicMockReply {
  return {
    type: 'json',
    status: 404,
    body: anthropicMockErrorBody('not_found_error', `Not found: ${method ?? ''} ${path}`),
  };
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

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
