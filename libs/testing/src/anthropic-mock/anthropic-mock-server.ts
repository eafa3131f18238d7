import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  FaultQueue,
  MockHttpHost,
  mockHost,
  parseJson,
  pathOf,
  readBody,
} from '../mock-http/mock-http-host';
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
  private readonly host = new MockHttpHost((request, response) => this.handle(request, response));
  private readonly recorded: AnthropicRecordedRequest[] = [];
  private readonly faults = new FaultQueue<AnthropicMockFault>();
  private sequence = 0;

  constructor(private readonly options: AnthropicMockOptions) {}

  get baseUrl(): string {
    return `http://${mockHost}:${this.host.port}`;
  }

  get port(): number {
    return this.host.port;
  }

  get requests(): readonly AnthropicRecordedRequest[] {
    return this.recorded;
  }

  get pendingFaults(): number {
    return this.faults.pending;
  }

  async listen(port: number): Promise<void> {
    await this.host.listen(port);
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
    this.faults.clear();
  }

  async close(): Promise<void> {
    await this.host.close();
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
        signal: this.host.closing.signal,
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
      if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: this.host.closing.signal });
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
      if (!response.headersSent && !response.destroyed && !this.host.closing.signal.aborted) {
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
    return this.faults.take((fault) => {
      const only = fault.path ?? (isMessageOnly(fault) ? '/v1/messages' : undefined);
      return only === undefined || only === path;
    });
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
