import {
  type ErrorInfo,
  type RequestContext,
  type RouteChunk,
  type RouteRequest,
  type RouteResponse,
  type RouteTarget,
  type Usage,
} from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';
import { GatewayErrorCode, monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';
import { type ChatCompletionRequest } from '@aigw/llm-api';
import { type ProviderAdapter } from './providers/provider-adapter';
import { ProviderError } from './providers/provider-error';
import { ProviderRegistry } from './providers/provider-registry';
import { emptyUsage } from './providers/usage-mapping';

const serviceName = 'provider-router';

/** The error a client sees when no target could serve. */
function exhaustedError(last: ProviderError | undefined): ErrorInfo {
  if (!last) {
    return {
      code: GatewayErrorCode.UpstreamUnavailable,
      message: 'no provider target is configured',
      httpStatus: 502,
    };
  }
  switch (last.errorClass) {
    case 'client_4xx':
      return {
        code: GatewayErrorCode.UpstreamRejected,
        message: last.message,
        httpStatus: last.status,
      };
    case 'rate_limited':
      return {
        code: GatewayErrorCode.RateLimited,
        message: 'every provider target is rate limited',
        httpStatus: 429,
      };
    case 'timeout':
      return {
        code: GatewayErrorCode.UpstreamTimeout,
        message: 'no provider target answered in time',
        httpStatus: 504,
      };
    case 'connection':
    case 'upstream_5xx':
    case 'malformed_response':
      return {
        code: GatewayErrorCode.UpstreamUnavailable,
        message: 'no provider target could serve the request',
        httpStatus: 502,
      };
  }
}

interface Attempt {
  readonly number: number;
  /** Targets the router can try in all, this one included. */
  readonly of: number;
  readonly target: RouteTarget;
  readonly adapter: ProviderAdapter;
  readonly started: number;
}

/**
 * Tries the plan's targets in order. Falls to the next target on connection errors, timeouts,
 * 429 and 5xx; never on a 4xx caused by the request. Emits `provider.attempted` for every try.
 */
export class ProviderRouter {
  private readonly registry = new ProviderRegistry();

  constructor(
    private readonly config: ConfigSource,
    private readonly events: EventPublisher,
  ) {}

  async complete(request: RouteRequest, signal?: AbortSignal): Promise<RouteResponse> {
    const parsed = JSON.parse(request.body.toString('utf8')) as ChatCompletionRequest;
    let lastError: ProviderError | undefined;
    let number = 0;
    for (const attempt of this.attempts(request.targets)) {
      number = attempt.number;
      try {
        const completion = await attempt.adapter.complete(
          { ...parsed, model: attempt.target.model },
          signal ?? AbortSignal.timeout(10 * 60_000),
        );
        this.recordAttempt(request.context, attempt, 200, '', false);
        return {
          status: 200,
          body: completion.body,
          usage: completion.usage,
          provider: attempt.target.provider,
          model: attempt.target.model,
          attempts: attempt.number,
          error: undefined,
        };
      } catch (error) {
        lastError = this.failedAttempt(request.context, attempt, error);
        if (!lastError.retriable) break;
      }
    }
    return {
      status: 0,
      body: lastError?.upstreamBody ?? Buffer.alloc(0),
      usage: undefined,
      provider: '',
      model: '',
      attempts: number,
      error: exhaustedError(lastError),
    };
  }

  /**
   * Streams from the first target that starts answering. Once a chunk went out, a failure ends
   * the stream with an error instead of switching providers mid-answer.
   */
  async *stream(request: RouteRequest, signal?: AbortSignal): AsyncGenerator<RouteChunk> {
    const parsed = JSON.parse(request.body.toString('utf8')) as ChatCompletionRequest;
    let lastError: ProviderError | undefined;
    for (const attempt of this.attempts(request.targets)) {
      const iterator = attempt.adapter
        .stream(
          { ...parsed, model: attempt.target.model },
          signal ?? AbortSignal.timeout(10 * 60_000),
        )
        [Symbol.asyncIterator]();
      let first: IteratorResult<unknown>;
      try {
        first = await iterator.next();
      } catch (error) {
        lastError = this.failedAttempt(request.context, attempt, error);
        if (!lastError.retriable) break;
        continue;
      }
      this.recordAttempt(request.context, attempt, 200, '', false);
      yield {
        kind: {
          $case: 'start',
          value: {
            provider: attempt.target.provider,
            model: attempt.target.model,
            attempts: attempt.number,
          },
        },
      };
      let usage: Usage = emptyUsage;
      let error: ErrorInfo | undefined;
      let result = first as IteratorResult<{ data: Buffer; usage?: Usage; forClient: boolean }>;
      try {
        while (!result.done) {
          if (result.value.usage) usage = result.value.usage;
          if (result.value.forClient) yield { kind: { $case: 'data', value: result.value.data } };
          result = await iterator.next();
        }
      } catch (caught) {
        const failure =
          caught instanceof ProviderError
            ? caught
            : new ProviderError('connection', 'stream broke');
        error = {
          code: GatewayErrorCode.UpstreamError,
          message: `the provider stream ended early (${failure.errorClass})`,
          httpStatus: 502,
        };
      }
      yield { kind: { $case: 'end', value: { usage, error } } };
      return;
    }
    yield { kind: { $case: 'error', value: exhaustedError(lastError) } };
  }

  private *attempts(targets: readonly RouteTarget[]): Generator<Attempt> {
    const config = this.config.current();
    // A target whose provider is not configured is skipped, so it is not a fall-back either.
    const runnable = targets.flatMap((target) => {
      const adapter = this.registry.get(config, target.provider);
      return adapter ? [{ target, adapter }] : [];
    });
    for (const [index, { target, adapter }] of runnable.entries()) {
      yield { number: index + 1, of: runnable.length, target, adapter, started: monotonicMs() };
    }
  }

  private failedAttempt(
    context: RequestContext | undefined,
    attempt: Attempt,
    error: unknown,
  ): ProviderError {
    const failure =
      error instanceof ProviderError
        ? error
        : new ProviderError('connection', 'provider call failed');
    const fellBack = failure.retriable && attempt.number < attempt.of;
    this.recordAttempt(context, attempt, failure.status, failure.errorClass, fellBack);
    return failure;
  }

  private recordAttempt(
    context: RequestContext | undefined,
    attempt: Attempt,
    status: number,
    errorClass: string,
    fellBack: boolean,
  ): void {
    if (!context) return;
    this.events.publish(
      createEnvelope(serviceName, context, {
        $case: 'providerAttempted',
        value: {
          attempt: attempt.number,
          provider: attempt.target.provider,
          model: attempt.target.model,
          status,
          latencyMs: roundMs(monotonicMs() - attempt.started),
          errorClass,
          fellBack,
        },
      }),
    );
  }
}
