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
import { type ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { type ChatContentOverride, echoLastUserMessage } from './chat-answer';
import { type MockDelivery, type MockReply, writeMockReply } from './mock-reply';
import { errorBodyForStatus, openAiErrorBody } from './openai-error-body';
import { answerRoute, resolveRoute, type RouteSettings } from './openai-mock-routes';
import {
  type OpenAiMock,
  type OpenAiMockFault,
  type OpenAiMockOptions,
  type OpenAiMockPath,
  type RecordedRequest,
} from './openai-mock.types';

const defaultModels = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];

/**
 * Starts a mock of the OpenAI REST API on 127.0.0.1 (a free port unless `options.port` is
 * given). Answers are deterministic: a chat reply echoes the last user message as
 * `echo: <text>` and tokens are counted as `ceil(characters / 4)` per message (see
 * `estimateMockTokens`). Use `script()` to inject faults or scripted replies.
 */
export async function startOpenAiMock(options: OpenAiMockOptions = {}): Promise<OpenAiMock> {
  const mock = new OpenAiMockServer(options);
  await mock.listen(options.port ?? 0);
  return mock;
}

class OpenAiMockServer implements OpenAiMock {
  private readonly host = new MockHttpHost((request, response) => this.handle(request, response));
  private readonly recorded: RecordedRequest[] = [];
  private readonly faults = new FaultQueue<OpenAiMockFault>();
  private readonly routeSettings: RouteSettings;
  private readonly expectedAuthorization: string | undefined;
  private sequence = 0;
  private requestCount = 0;

  constructor(private readonly options: OpenAiMockOptions) {
    this.routeSettings = {
      models: options.models ?? defaultModels,
      embeddingDimensions: options.embeddingDimensions ?? 8,
      defaultReply: options.reply ?? echoLastUserMessage,
      nextSequence: () => ++this.sequence,
    };
    this.expectedAuthorization =
      options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`;
  }

  get baseUrl(): string {
    return `http://${mockHost}:${this.host.port}/v1`;
  }

  get port(): number {
    return this.host.port;
  }

  get requests(): readonly RecordedRequest[] {
    return this.recorded;
  }

  get pendingFaults(): number {
    return this.faults.pending;
  }

  async listen(port: number): Promise<void> {
    await this.host.listen(port);
  }

  chatRequests(): ChatCompletionCreateParams[] {
    return this.recorded
      .filter((request) => request.method === 'POST' && request.path === '/v1/chat/completions')
      .map((request) => request.body as ChatCompletionCreateParams);
  }

  script(...faults: OpenAiMockFault[]): void {
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
      const settings = {
        requestId: `req_mock_${++this.requestCount}`,
        chunkIntervalMs: this.options.streamChunkIntervalMs ?? 0,
        signal: this.host.closing.signal,
      };
      const route = resolveRoute(request.method, path);
      const rejection = this.authenticate(request.headers.authorization);
      if (rejection || !route) {
        const reply = rejection ?? notFound(request.method, path);
        await writeMockReply(response, reply, complete, settings);
        return;
      }

      const fault = this.takeFault(route.path);
      const latencyMs =
        (this.options.defaultLatencyMs ?? 0) + (fault?.kind === 'delay' ? fault.ms : 0);
      if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: this.host.closing.signal });

      if (fault?.kind === 'status') {
        await writeMockReply(response, statusReply(fault), complete, settings);
        return;
      }
      // A plain hang holds the request until the client gives up or the mock closes.
      if (fault?.kind === 'hang' && fault.afterChunks === undefined) return;
      const reply = answerRoute(route, body, contentOverrideOf(fault), this.routeSettings);
      await writeMockReply(response, reply, deliveryOf(fault), settings);
    } catch {
      // The mock closing or the client leaving needs no answer; anything else gets a 500.
      if (!response.headersSent && !response.destroyed && !this.host.closing.signal.aborted) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify(errorBodyForStatus(500)));
      }
    }
  }

  private authenticate(authorization: string | undefined): MockReply | undefined {
    if (this.expectedAuthorization === undefined || authorization === this.expectedAuthorization) {
      return undefined;
    }
    const body =
      authorization === undefined
        ? openAiErrorBody(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            'invalid_request_error',
          )
        : openAiErrorBody(
            'Incorrect API key provided.',
            'invalid_request_error',
            null,
            'invalid_api_key',
          );
    return { type: 'json', status: 401, body };
  }

  private takeFault(path: OpenAiMockPath): OpenAiMockFault | undefined {
    return this.faults.take((fault) => {
      const only = fault.path ?? defaultPathOf(fault);
      return only === undefined || only === path;
    });
  }
}

const complete: MockDelivery = { kind: 'complete' };

// A scripted reply or tool call only means something to a chat completion.
function defaultPathOf(fault: OpenAiMockFault): OpenAiMockPath | undefined {
  return fault.kind === 'reply' || fault.kind === 'tool-call' ? '/v1/chat/completions' : undefined;
}

function deliveryOf(fault: OpenAiMockFault | undefined): MockDelivery {
  switch (fault?.kind) {
    case undefined:
    case 'status':
    case 'delay':
    case 'reply':
    case 'tool-call':
      return complete;
    case 'hang':
      return { kind: 'stall', afterChunks: fault.afterChunks ?? 0 };
    case 'drop-mid-stream':
      return { kind: 'drop', afterChunks: fault.afterChunks };
    case 'malformed-json':
      return { kind: 'malformed' };
  }
}

function contentOverrideOf(fault: OpenAiMockFault | undefined): ChatContentOverride | undefined {
  return fault?.kind === 'reply' || fault?.kind === 'tool-call' ? fault : undefined;
}

function statusReply(fault: Extract<OpenAiMockFault, { kind: 'status' }>): MockReply {
  const { status, retryAfterSeconds, message } = fault;
  return {
    type: 'json',
    status,
    body: errorBodyForStatus(status, message, retryAfterSeconds),
    headers:
      retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) },
  };
}

function notFound(method: string | undefined, path: string): MockReply {
  return {
    type: 'json',
    status: 404,
    body: openAiErrorBody(`Invalid URL (${method ?? ''} ${path})`, 'invalid_request_error'),
  };
}
