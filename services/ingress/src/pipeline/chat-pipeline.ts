import {
  AuthorizeOutcome,
  type AuthorizeResponse,
  type RequestContext,
  type RouteChunk,
  type RouteRequest,
  Stage,
  type Usage,
  Verdict,
} from '@aigw/contracts';
import {
  GatewayError,
  GatewayErrorCode,
  gatewayErrorCodeFrom,
  monotonicMs,
  openAiErrorTypeOf,
  roundMs,
} from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';
import {
  applyChatTextParts,
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
  chatTextParts,
} from '@aigw/llm-api';
import { type IngressClients } from './ingress-clients';
import { MalformedJsonBody } from './malformed-json-body';
import { parseRequestTags } from './request-tags';
import { ResponseTextGuard } from './response-text-guard';
import { StreamedContentGuard } from './streamed-content-guard';

const serviceName = 'ingress';
const operation = 'chat.completions';

/** One chat completions call as the HTTP layer hands it over. */
export interface ChatCall {
  readonly requestId: string;
  readonly traceId: string;
  readonly credentialSha256: string | undefined;
  readonly tagsHeader: string | undefined;
  readonly body: unknown;
  readonly bodyBytes: number;
  readonly userAgent: string;
  readonly method: string;
  readonly path: string;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /**
   * Reads the body as an OpenAI chat request, throwing GatewayError when it is invalid; another
   * wire format (e.g. Anthropic Messages) translates here. Default: OpenAI validation.
   */
  readonly readBody?: (body: unknown) => ChatCompletionRequest;
}

/** What the HTTP layer sends back. */
export type ChatResult =
  | { readonly kind: 'json'; readonly status: number; readonly body: Buffer }
  | { readonly kind: 'stream'; readonly frames: AsyncGenerator<string> }
  | { readonly kind: 'error'; readonly error: GatewayError; readonly upstreamBody?: Buffer };

interface CallState {
  readonly call: ChatCall;
  readonly context: RequestContext;
  readonly started: number;
  stream: boolean;
}

/**
 * The governed request path: authenticate and authorise (policy) → request guardrails →
 * route (provider-router) → record. Every request ends in exactly one `request.completed` or
 * `request.failed`, whatever happens.
 */
export class ChatPipeline {
  constructor(
    private readonly clients: IngressClients,
    private readonly events: EventPublisher,
  ) {}

  async handle(call: ChatCall): Promise<ChatResult> {
    const state: CallState = {
      call,
      started: monotonicMs(),
      stream: false,
      context: {
        requestId: call.requestId,
        traceId: call.traceId,
        principal: undefined,
        endpoint: modelOf(call.body),
        tags: {},
      },
    };
    let tagsError: GatewayError | undefined;
    try {
      state.context.tags = parseRequestTags(call.tagsHeader);
    } catch (error) {
      tagsError =
        error instanceof GatewayError
          ? error
          : new GatewayError(GatewayErrorCode.InvalidRequest, 'x-aigw-tags is invalid');
    }
    state.stream = isStreaming(call.body);
    this.emit(state, {
      $case: 'requestReceived',
      value: {
        operation,
        method: call.method,
        path: call.path,
        stream: state.stream,
        bodyBytes: call.bodyBytes,
        userAgent: call.userAgent.slice(0, 256),
      },
    });
    try {
      if (tagsError) throw tagsError;
      return await this.run(state);
    } catch (error) {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(GatewayErrorCode.Internal, 'the gateway failed to handle the request');
      this.fail(state, failure);
      return { kind: 'error', error: failure };
    }
  }

  private async run(state: CallState): Promise<ChatResult> {
    const request = (state.call.readBody ?? validateRequest)(state.call.body);
    const decision = await this.authorize(state);
    state.context.principal = decision.principal;
    const guardrails = decision.guardrailPlan?.request ?? [];
    if (guardrails.length > 0) await this.guardRequest(state, request, guardrails);
    const responseGuardrails = decision.guardrailPlan?.response ?? [];
    const responseGuard =
      responseGuardrails.length > 0
        ? new ResponseTextGuard(this.clients.guardrails, state.context, responseGuardrails)
        : undefined;
    const routeRequest: RouteRequest = {
      context: state.context,
      operation,
      targets: decision.routePlan?.targets ?? [],
      body: Buffer.from(JSON.stringify(request)),
    };
    if (state.stream) return this.startStream(state, routeRequest, responseGuard);
    const response = await this.clients.router.complete(routeRequest, {
      signal: state.call.signal,
    });
    if (response.error) {
      const failure = routeFailure(response.error);
      this.fail(state, failure, response.provider, response.model, response.attempts);
      return { kind: 'error', error: failure, upstreamBody: nonEmpty(response.body) };
    }
    const body = responseGuard
      ? await responseGuard.guardCompletionBody(response.body)
      : response.body;
    const latencyMs = roundMs(monotonicMs() - state.started);
    this.complete(
      state,
      response.provider,
      response.model,
      response.attempts,
      response.usage,
      latencyMs,
      latencyMs,
      response.costUsd,
    );
    return { kind: 'json', status: 200, body };
  }

  private async authorize(state: CallState): Promise<AuthorizeResponse> {
    const { call, context } = state;
    if (!call.credentialSha256) {
      throw new GatewayError(
        GatewayErrorCode.Unauthenticated,
        'Missing API key: send "Authorization: Bearer <gateway key>".',
      );
    }
    const decision = await this.clients.policy.authorize({
      requestId: call.requestId,
      traceId: call.traceId,
      credentialSha256: call.credentialSha256,
      endpoint: context.endpoint,
      operation,
      tags: context.tags,
    });
    switch (decision.outcome) {
      case AuthorizeOutcome.AUTHORIZE_OUTCOME_ALLOWED:
        return decision;
      case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNAUTHENTICATED:
        throw new GatewayError(GatewayErrorCode.Unauthenticated, 'Invalid API key.');
      case AuthorizeOutcome.AUTHORIZE_OUTCOME_DENIED:
        state.context.principal = decision.principal;
        throw new GatewayError(GatewayErrorCode.PermissionDenied, decision.reason);
      case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNKNOWN_ENDPOINT:
        state.context.principal = decision.principal;
        throw new GatewayError(
          GatewayErrorCode.UnknownEndpoint,
          `The model "${context.endpoint}" does not exist or you do not have access to it.`,
        );
      case AuthorizeOutcome.AUTHORIZE_OUTCOME_UNSPECIFIED:
      case AuthorizeOutcome.UNRECOGNIZED:
        throw new GatewayError(GatewayErrorCode.Internal, 'policy gave no decision');
    }
  }

  private async guardRequest(
    state: CallState,
    request: ChatCompletionRequest,
    guardrails: string[],
  ): Promise<void> {
    const parts = chatTextParts(request);
    if (parts.length === 0) return;
    const verdict = await this.clients.guardrails.evaluate({
      context: state.context,
      stage: Stage.STAGE_REQUEST,
      guardrails,
      parts,
    });
    if (verdict.verdict === Verdict.VERDICT_BLOCKED) {
      throw new GatewayError(
        GatewayErrorCode.GuardrailBlocked,
        `The request was blocked by guardrail "${verdict.blockedBy}".`,
        { guardrail: verdict.blockedBy },
      );
    }
    if (verdict.verdict === Verdict.VERDICT_MASKED)
      applyChatTextParts(request, verdict.maskedParts);
  }

  private async startStream(
    state: CallState,
    routeRequest: RouteRequest,
    responseGuard: ResponseTextGuard | undefined,
  ): Promise<ChatResult> {
    const iterator = this.clients.router
      .stream(routeRequest, { signal: state.call.signal })
      [Symbol.asyncIterator]();
    const first = await iterator.next();
    const kind = first.done ? undefined : first.value.kind;
    if (kind?.$case !== 'start') {
      const failure = routeFailure(
        kind?.$case === 'error'
          ? kind.value
          : {
              code: GatewayErrorCode.UpstreamError,
              message: 'the provider stream did not start',
              httpStatus: 502,
            },
      );
      this.fail(state, failure);
      return { kind: 'error', error: failure };
    }
    // Response guardrails see streamed text through a bounded hold-back window.
    const guard = responseGuard
      ? new StreamedContentGuard((path, text) => responseGuard.evaluateText(path, text))
      : undefined;
    return { kind: 'stream', frames: this.frames(state, iterator, kind.value, guard) };
  }

  private async *frames(
    state: CallState,
    iterator: AsyncIterator<RouteChunk>,
    start: { provider: string; model: string; attempts: number },
    guard: StreamedContentGuard | undefined,
  ): AsyncGenerator<string> {
    let firstTokenAt: number | undefined;
    let usage: Usage | undefined;
    let costUsd = '';
    let streamError: GatewayError | undefined;
    let finished = false;
    try {
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          const kind = next.value.kind;
          if (kind?.$case === 'data') {
            firstTokenAt ??= monotonicMs();
            const payload = kind.value.toString('utf8');
            for (const out of guard ? await guard.process(payload) : [payload]) {
              yield `data: ${out}\n\n`;
            }
          } else if (kind?.$case === 'end') {
            usage = kind.value.usage;
            costUsd = kind.value.costUsd;
            if (kind.value.error) streamError = routeFailure(kind.value.error);
          }
        }
        if (guard && !streamError) for (const out of await guard.finish()) yield `data: ${out}\n\n`;
      } catch (error) {
        // A response guardrail blocked (or could not run): end with an error event, no [DONE],
        // and stop the upstream call; held text is never released.
        if (!(error instanceof GatewayError)) throw error;
        streamError = error;
        void iterator.return?.();
      }
      if (streamError) {
        yield `data: ${JSON.stringify({ error: { message: streamError.message, type: openAiErrorTypeOf(streamError.code), param: null, code: streamError.code } })}\n\n`;
      } else {
        yield 'data: [DONE]\n\n';
      }
      finished = true;
    } finally {
      if (!finished) {
        // The client went away (or writing failed): stop the upstream call too.
        void iterator.return?.();
        streamError = new GatewayError(
          GatewayErrorCode.InvalidRequest,
          'client closed the stream',
          {},
          499,
        );
      }
      if (streamError) {
        this.fail(state, streamError, start.provider, start.model, start.attempts);
      } else {
        const latencyMs = roundMs(monotonicMs() - state.started);
        const ttftMs = roundMs((firstTokenAt ?? monotonicMs()) - state.started);
        this.complete(
          state,
          start.provider,
          start.model,
          start.attempts,
          usage,
          latencyMs,
          ttftMs,
          costUsd,
        );
      }
    }
  }

  private complete(
    state: CallState,
    provider: string,
    model: string,
    attempts: number,
    usage: Usage | undefined,
    latencyMs: number,
    ttftMs: number,
    /** Decimal string from the router; empty when the model has no known price. */
    costUsd: string,
  ): void {
    this.emit(state, {
      $case: 'requestCompleted',
      value: {
        status: 200,
        provider,
        model,
        usage,
        latencyMs,
        ttftMs,
        stream: state.stream,
        attempts,
        costUsd,
        operation,
      },
    });
  }

  private fail(
    state: CallState,
    error: GatewayError,
    provider = '',
    model = '',
    attempts = 0,
  ): void {
    this.emit(state, {
      $case: 'requestFailed',
      value: {
        status: error.httpStatus,
        errorCode: error.code,
        message: error.message,
        latencyMs: roundMs(monotonicMs() - state.started),
        provider,
        model,
        attempts,
        operation,
        stream: state.stream,
      },
    });
  }

  private emit(state: CallState, payload: Parameters<typeof createEnvelope>[2]): void {
    this.events.publish(createEnvelope(serviceName, state.context, payload));
  }
}

function modelOf(body: unknown): string {
  if (
    body !== null &&
    typeof body === 'object' &&
    'model' in body &&
    typeof body.model === 'string'
  ) {
    return body.model.slice(0, 256);
  }
  return '';
}

function isStreaming(body: unknown): boolean {
  return body !== null && typeof body === 'object' && 'stream' in body && body.stream === true;
}

function validateRequest(body: unknown): ChatCompletionRequest {
  if (body instanceof MalformedJsonBody) {
    throw new GatewayError(GatewayErrorCode.InvalidJson, 'The request body is not valid JSON.');
  }
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new GatewayError(
    GatewayErrorCode.InvalidRequest,
    `Invalid request body${path ? ` at "${path}"` : ''}: ${issue?.message ?? 'invalid'}`,
    { param: path },
  );
}

function routeFailure(error: { code: string; message: string; httpStatus: number }): GatewayError {
  return new GatewayError(
    gatewayErrorCodeFrom(error.code),
    error.message,
    {},
    error.httpStatus || undefined,
  );
}

function nonEmpty(body: Buffer): Buffer | undefined {
  return body.length > 0 ? body : undefined;
}
