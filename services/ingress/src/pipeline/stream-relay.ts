import {
  type RouteChunk,
  type RouteRequest,
  type RouterServiceClient,
  type Usage,
} from '@aigw/contracts';
import {
  GatewayError,
  GatewayErrorCode,
  monotonicMs,
  openAiErrorTypeOf,
  roundMs,
} from '@aigw/core';
import { type CallState, type ChatResult } from './call-state';
import { streamedText } from './payload-capture';
import { type RequestRecorder } from './request-recorder';
import { type ResponseTextGuard } from './response-text-guard';
import { routeFailure } from './route-failure';
import { StreamedContentGuard } from './streamed-content-guard';
import { StreamedToolCalls } from './tool-call-records';

interface StreamStart {
  readonly provider: string;
  readonly model: string;
  readonly attempts: number;
}

/**
 * Relays a provider stream to the client as SSE frames, through the response guardrails when the
 * endpoint has any, and records how it ended (completed, failed, or the client went away).
 */
export class StreamRelay {
  constructor(
    private readonly router: RouterServiceClient,
    private readonly recorder: RequestRecorder,
  ) {}

  /** Waits for the stream to start; a failure before the first chunk is a plain error result. */
  async start(
    state: CallState,
    routeRequest: RouteRequest,
    responseGuard: ResponseTextGuard | undefined,
  ): Promise<ChatResult> {
    const iterator = this.router
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
      this.recorder.failed(state, failure);
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
    start: StreamStart,
    guard: StreamedContentGuard | undefined,
  ): AsyncGenerator<string> {
    let firstTokenAt: number | undefined;
    let usage: Usage | undefined;
    let costUsd = '';
    let streamError: GatewayError | undefined;
    let finished = false;
    const toolCalls = new StreamedToolCalls();
    // The text the client received, assembled only when this call's payload is logged.
    const capturing = this.recorder.payloads.capturing(state);
    let assembled = '';
    try {
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          const kind = next.value.kind;
          if (kind?.$case === 'data') {
            firstTokenAt ??= monotonicMs();
            const payload = kind.value.toString('utf8');
            toolCalls.observe(payload);
            for (const out of guard ? await guard.process(payload) : [payload]) {
              if (capturing) assembled += streamedText(out);
              yield `data: ${out}\n\n`;
            }
          } else if (kind?.$case === 'end') {
            usage = kind.value.usage;
            costUsd = kind.value.costUsd;
            if (kind.value.error) streamError = routeFailure(kind.value.error);
          }
        }
        if (guard && !streamError) {
          for (const out of await guard.finish()) {
            if (capturing) assembled += streamedText(out);
            yield `data: ${out}\n\n`;
          }
        }
      } catch (error) {
        // A response guardrail blocked (or could not run): end with an error event, no [DONE],
        // and stop the upstream call; held text is never released.
        if (!(error instanceof GatewayError)) throw error;
        streamError = error;
        void iterator.return?.();
      }
      yield streamError ? errorFrame(streamError) : 'data: [DONE]\n\n';
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
      if (capturing) this.recorder.payloads.responded(state, assembled);
      if (streamError) {
        this.recorder.failed(state, streamError, start.provider, start.model, start.attempts);
      } else {
        this.recorder.completed(state, {
          ...start,
          usage,
          costUsd,
          latencyMs: roundMs(monotonicMs() - state.started),
          ttftMs: roundMs((firstTokenAt ?? monotonicMs()) - state.started),
          toolCalls: toolCalls.records(state.conversation?.turn ?? 1),
        });
      }
    }
  }
}

function errorFrame(error: GatewayError): string {
  const body = {
    error: {
      message: error.message,
      type: openAiErrorTypeOf(error.code),
      param: null,
      code: error.code,
    },
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}
