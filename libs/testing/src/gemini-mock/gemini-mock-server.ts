import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  FaultQueue,
  MockHttpHost,
  mockHost,
  parseJson,
  readBody,
} from '../mock-http/mock-http-host';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildGenerateContentResponse,
  buildStreamEvents,
  decideGeminiAnswer,
  echoLastUserTurn,
  type GeminiContentOverride,
  geminiErrorBody,
  usageMetadataOf,
} from './gemini-response-builder';
import {
  type GeminiMock,
  type GeminiMockFault,
  type GeminiMockMethod,
  type GeminiMockOptions,
  type GeminiRecordedRequest,
} from './gemini-mock.types';
import {
  batchEmbedContentsRequestSchema,
  generateContentRequestSchema,
  type MockBatchEmbedContentsRequest,
  type MockGenerateContentRequest,
  requestProblem,
} from './gemini-request.schema';
import { buildBatchEmbedResponse } from './gemini-embed-builder';

const route =
  /^\/(v\d+[a-z0-9]*)\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;

/** An answer before it is written: a JSON body, or the data of SSE events. */
type Reply =
  | { readonly type: 'json'; readonly status: number; readonly body: unknown }
  | { readonly type: 'sse'; readonly events: readonly string[] };

/**
 * Starts a mock of the Gemini API on 127.0.0.1: `POST /{version}/models/{model}:generateContent`,
 * `:streamGenerateContent` (SSE with `?alt=sse`, else a JSON array) and `:batchEmbedContents`
 * (the deterministic `mockEmbedding` of each text). Like the other mocks it
 * echoes the last user turn as `echo: <text>` and counts `ceil(characters / 4)` tokens per text.
 */
export async function startGeminiMock(options: GeminiMockOptions = {}): Promise<GeminiMock> {
  const mock = new GeminiMockServer(options);
  await mock.listen(options.port ?? 0);
  return mock;
}

class GeminiMockServer implements GeminiMock {
  private readonly host = new MockHttpHost((request, response) => this.handle(request, response));
  private readonly recorded: GeminiRecordedRequest[] = [];
  private readonly faults = new FaultQueue<GeminiMockFault>();
  private sequence = 0;

  constructor(private readonly options: GeminiMockOptions) {}

  get baseUrl(): string {
    return `http://${mockHost}:${this.host.port}`;
  }

  get port(): number {
    return this.host.port;
  }

  get requests(): readonly GeminiRecordedRequest[] {
    return this.recorded;
  }

  get pendingFaults(): number {
    return this.faults.pending;
  }

  async listen(port: number): Promise<void> {
    await this.host.listen(port);
  }

  generateRequests(): Array<{ model: string; body: MockGenerateContentRequest }> {
    return this.recorded.flatMap((request) => {
      const match = route.exec(request.path);
      return match && match[3] !== 'batchEmbedContents'
        ? [
            {
              model: decodeURIComponent(match[2]!),
              body: request.body as MockGenerateContentRequest,
            },
          ]
        : [];
    });
  }

  embedRequests(): Array<{ model: string; body: MockBatchEmbedContentsRequest }> {
    return this.recorded.flatMap((request) => {
      const match = route.exec(request.path);
      return match && match[3] === 'batchEmbedContents'
        ? [
            {
              model: decodeURIComponent(match[2]!),
              body: request.body as MockBatchEmbedContentsRequest,
            },
          ]
        : [];
    });
  }

  script(...faults: GeminiMockFault[]): void {
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
      const url = new URL(request.url ?? '/', 'http://mock');
      const body = parseJson(text);
      if (this.options.recordRequests !== false) {
        this.recorded.push({
          method: request.method ?? '',
          path: url.pathname,
          query: url.search.slice(1),
          headers: request.headers,
          body,
        });
      }
      const match = request.method === 'POST' ? route.exec(url.pathname) : null;
      if (!match) {
        const message = `The requested URL ${url.pathname} was not found on this server.`;
        this.writeJson(response, 404, geminiErrorBody(404, message));
        return;
      }
      const apiKey = request.headers['x-goog-api-key'] ?? url.searchParams.get('key');
      if (this.options.apiKey !== undefined && apiKey !== this.options.apiKey) {
        const message = 'API key not valid. Please pass a valid API key.';
        this.writeJson(response, 400, geminiErrorBody(400, message));
        return;
      }
      const method = match[3] as GeminiMockMethod;
      const fault = this.takeFault(method);
      const latencyMs =
        (this.options.defaultLatencyMs ?? 0) + (fault?.kind === 'delay' ? fault.ms : 0);
      if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: this.host.closing.signal });
      if (fault?.kind === 'status') {
        const error = geminiErrorBody(fault.status, fault.message, fault.retryDelaySeconds);
        this.writeJson(response, fault.status, error);
        return;
      }
      if (fault?.kind === 'hang' && fault.afterEvents === undefined) return;
      const override =
        fault?.kind === 'reply' || fault?.kind === 'function-call' ? fault : undefined;
      const sse = method === 'streamGenerateContent' && url.searchParams.get('alt') === 'sse';
      const reply = this.answer(body, decodeURIComponent(match[2]!), method, sse, override);
      await this.write(response, reply, fault);
    } catch {
      if (!response.headersSent && !response.destroyed && !this.host.closing.signal.aborted) {
        this.writeJson(response, 500, geminiErrorBody(500));
      }
    }
  }

  private answer(
    body: unknown,
    model: string,
    method: GeminiMockMethod,
    sse: boolean,
    override: GeminiContentOverride | undefined,
  ): Reply {
    if (method === 'batchEmbedContents') return this.embedAnswer(body);
    const parsed = generateContentRequestSchema.safeParse(body);
    if (!parsed.success) {
      return {
        type: 'json',
        status: 400,
        body: geminiErrorBody(400, requestProblem(parsed.error)),
      };
    }
    const request = parsed.data;
    const answer = decideGeminiAnswer(request, override, this.options.reply ?? echoLastUserTurn);
    const usage = usageMetadataOf(request, answer, override);
    const responseId = `mock-${++this.sequence}`;
    if (method === 'generateContent') {
      const response = buildGenerateContentResponse(responseId, model, answer, usage);
      return { type: 'json', status: 200, body: response };
    }
    const events = buildStreamEvents(responseId, model, answer, usage);
    if (sse) return { type: 'sse', events };
    return { type: 'json', status: 200, body: events.map((event) => JSON.parse(event) as unknown) };
  }

  private embedAnswer(body: unknown): Reply {
    const parsed = batchEmbedContentsRequestSchema.safeParse(body);
    if (!parsed.success) {
      return {
        type: 'json',
        status: 400,
        body: geminiErrorBody(400, requestProblem(parsed.error)),
      };
    }
    const dimensions = this.options.embeddingDimensions ?? 768;
    return { type: 'json', status: 200, body: buildBatchEmbedResponse(parsed.data, dimensions) };
  }

  private async write(
    response: ServerResponse,
    reply: Reply,
    fault: GeminiMockFault | undefined,
  ): Promise<void> {
    if (reply.type === 'json') {
      const text = JSON.stringify(reply.body);
      if (reply.status !== 200 || fault === undefined) {
        this.writeJson(response, reply.status, reply.body);
      } else if (fault.kind === 'malformed-json') {
        response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(text.slice(0, Math.floor(text.length / 2)));
      } else if (fault.kind === 'drop-mid-stream') {
        response.writeHead(200, {
          'content-type': 'application/json; charset=UTF-8',
          'content-length': String(Buffer.byteLength(text)),
        });
        response.write(text.slice(0, Math.floor(text.length / 2)));
        response.socket?.destroySoon();
      } else if (fault.kind !== 'hang') {
        this.writeJson(response, reply.status, reply.body);
      }
      return;
    }
    let frames = reply.events.map((event) => `data: ${event}\r\n\r\n`);
    if (fault?.kind === 'malformed-json')
      frames = [...frames.slice(0, 1), 'data: {"candidates": [\r\n\r\n'];
    if (fault?.kind === 'drop-mid-stream' || fault?.kind === 'hang')
      frames = frames.slice(0, fault.afterEvents ?? 0);
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
    });
    const interval = this.options.streamEventIntervalMs ?? 0;
    for (const [index, frame] of frames.entries()) {
      if (index > 0 && interval > 0) {
        await sleep(interval, undefined, { signal: this.host.closing.signal });
      }
      if (response.destroyed) return;
      response.write(frame);
    }
    if (fault?.kind === 'drop-mid-stream') response.socket?.destroySoon();
    else if (fault?.kind !== 'hang') response.end();
  }

  private writeJson(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(JSON.stringify(body));
  }

  private takeFault(method: GeminiMockMethod): GeminiMockFault | undefined {
    return this.faults.take((fault) => !fault.method || fault.method === method);
  }
}
