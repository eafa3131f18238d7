import {
  type ErrorInfo,
  type RequestContext,
  type RouteChunk,
  type RouteRequest,
  type RouteResponse,
  type Usage,
} from '@aigw/contracts';
import { type CompiledConfig, type ConfigSource } from '@aigw/config';
import { GatewayErrorCode, monotonicMs } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { type ChatCompletionRequest, type EmbeddingRequest } from '@aigw/llm-api';
import { RouteCost } from './cost/route-cost';
import {
  type ProviderCompletion,
  type ProviderEmbeddings,
  type ProviderStreamChunk,
} from './providers/provider-adapter';
import { ProviderError } from './providers/provider-error';
import { ProviderRegistry } from './providers/provider-registry';
import { emptyUsage } from './providers/usage-mapping';
import { RouteEvents } from './routing/attempt-event';
import { CircuitBreakers } from './routing/circuit-breaker';
import { type Candidate, FallbackRunner, type TryCall } from './routing/fallback-runner';
import { type RandomSource } from './routing/retry-policy';
import { TargetSettingsResolver } from './routing/target-settings';

/** Seams for tests; production uses the defaults. */
export interface ProviderRouterOptions {
  /** Weighted target selection and backoff jitter (default Math.random). */
  readonly random?: RandomSource;
  /** Monotonic clock in ms for circuit breaker cool-downs (default performance.now). */
  readonly now?: () => number;
}

/**
 * Routes a request to the plan's targets (see FallbackRunner for the order, retries, breakers
 * and fall-backs) and prices what the serving target used.
 */
export class ProviderRouter {
  private readonly runner: FallbackRunner;
  private readonly routeEvents: RouteEvents;
  private readonly costs = new RouteCost();
  private readonly now: () => number;

  constructor(
    private readonly config: ConfigSource,
    events: EventPublisher,
    options: ProviderRouterOptions = {},
  ) {
    this.routeEvents = new RouteEvents(events);
    this.now = options.now ?? monotonicMs;
    this.runner = new FallbackRunner({
      registry: new ProviderRegistry(),
      settings: new TargetSettingsResolver(),
      breakers: new CircuitBreakers(),
      events: this.routeEvents,
      random: options.random ?? Math.random,
      now: this.now,
    });
  }

  /** A non-streaming call: chat completions, or embeddings when `operation` is "embeddings". */
  async complete(request: RouteRequest, signal?: AbortSignal): Promise<RouteResponse> {
    const config = this.config.current();
    const routed =
      request.operation === embeddingsOperation
        ? await this.runner.run(config, request, signal, embedCall(request))
        : await this.runner.run(config, request, signal, completeCall(config, request));
    if (!routed.ok) {
      return {
        status: 0,
        body: routed.body,
        usage: undefined,
        provider: '',
        model: '',
        attempts: routed.attempts,
        error: routed.error,
        costUsd: '',
      };
    }
    const { value: completion, candidate } = routed;
    return {
      status: 200,
      body: completion.body,
      usage: completion.usage,
      provider: candidate.target.provider,
      model: candidate.target.model,
      attempts: routed.attempts,
      error: undefined,
      costUsd: this.costOf(config, request.context, candidate, completion.usage),
    };
  }

  /**
   * Streams from the first target that starts answering. Once a chunk went out, a failure ends
   * the stream with an error instead of switching providers mid-answer.
   */
  async *stream(request: RouteRequest, signal?: AbortSignal): AsyncGenerator<RouteChunk> {
    if (request.operation === embeddingsOperation) {
      const message = 'embeddings cannot be streamed';
      yield {
        kind: {
          $case: 'error',
          value: { code: GatewayErrorCode.InvalidRequest, message, httpStatus: 400 },
        },
      };
      return;
    }
    const parsed = JSON.parse(request.body.toString('utf8')) as ChatCompletionRequest;
    const config = this.config.current();
    const routed = await this.runner.run(config, request, signal, async (candidate, trySignal) => {
      const body = withOutputCap(
        parsed,
        request.maxOutputTokens,
        providerTypeOf(config, candidate),
      );
      const iterator = candidate.adapter
        .stream({ ...body, model: candidate.target.model }, trySignal, {
          firstByteTimeoutMs: candidate.settings.firstByteTimeoutMs,
        })
        [Symbol.asyncIterator]();
      // Failover is only possible until the first chunk: wait for it inside the try.
      return { iterator, first: await iterator.next() };
    });
    if (!routed.ok) {
      yield { kind: { $case: 'error', value: routed.error } };
      return;
    }
    const { candidate } = routed;
    const { iterator } = routed.value;
    yield {
      kind: {
        $case: 'start',
        value: {
          provider: candidate.target.provider,
          model: candidate.target.model,
          attempts: routed.attempts,
        },
      },
    };
    let usage: Usage | undefined;
    let error: ErrorInfo | undefined;
    let result: IteratorResult<ProviderStreamChunk> = routed.value.first;
    try {
      while (!result.done) {
        if (result.value.usage) usage = result.value.usage;
        if (result.value.forClient) yield { kind: { $case: 'data', value: result.value.data } };
        result = await iterator.next();
      }
    } catch (caught) {
      const failure =
        caught instanceof ProviderError ? caught : new ProviderError('connection', 'stream broke');
      candidate.breaker.recordFailure(this.now());
      error = {
        code: GatewayErrorCode.UpstreamError,
        message: `the provider stream ended early (${failure.errorClass})`,
        httpStatus: 502,
      };
    }
    // Without reported usage the cost is unknown, not 0.
    const costUsd = usage ? this.costOf(config, request.context, candidate, usage) : '';
    yield { kind: { $case: 'end', value: { usage: usage ?? emptyUsage, error, costUsd } } };
  }

  /** The cost as a decimal string, or '' plus a `cost.unknown` warning when unpriced. */
  private costOf(
    config: CompiledConfig,
    context: RequestContext | undefined,
    candidate: Candidate,
    usage: Usage,
  ): string {
    const { target, settings } = candidate;
    const cost = this.costs.costOf(config, target.provider, target.model, settings.price, usage);
    if (cost.known) return cost.usd;
    this.routeEvents.costUnknown(context, target);
    return '';
  }
}

const embeddingsOperation = 'embeddings';

function completeCall(config: CompiledConfig, request: RouteRequest): TryCall<ProviderCompletion> {
  const parsed = JSON.parse(request.body.toString('utf8')) as ChatCompletionRequest;
  return (candidate, trySignal) => {
    const body = withOutputCap(parsed, request.maxOutputTokens, providerTypeOf(config, candidate));
    return candidate.adapter.complete({ ...body, model: candidate.target.model }, trySignal, {
      firstByteTimeoutMs: candidate.settings.firstByteTimeoutMs,
    });
  };
}

function providerTypeOf(config: CompiledConfig, candidate: Candidate): string | undefined {
  return config.raw.providers[candidate.target.provider]?.type;
}

/**
 * The body with a budget's output cap (RouteRequest.max_output_tokens) when it names no output
 * limit of its own, in the field the provider reads: OpenAI's API wants max_completion_tokens
 * (its reasoning models refuse max_tokens); OpenAI-compatible servers and Azure know max_tokens;
 * the Anthropic and Gemini translations read either.
 */
export function withOutputCap(
  body: ChatCompletionRequest,
  cap: number,
  providerType: string | undefined,
): ChatCompletionRequest {
  if (cap <= 0 || body.max_tokens != null || body.max_completion_tokens != null) return body;
  return providerType === 'openai'
    ? { ...body, max_completion_tokens: cap }
    : { ...body, max_tokens: cap };
}

/** Embeddings through the same runner; a provider without embeddings refuses like a 400. */
function embedCall(request: RouteRequest): TryCall<ProviderEmbeddings> {
  const parsed = JSON.parse(request.body.toString('utf8')) as EmbeddingRequest;
  return async (candidate, trySignal) => {
    const { adapter, target } = candidate;
    if (!adapter.embed) {
      throw new ProviderError(
        'client_4xx',
        `provider "${target.provider}" does not serve embeddings`,
        400,
      );
    }
    return adapter.embed({ ...parsed, model: target.model }, trySignal, {
      firstByteTimeoutMs: candidate.settings.firstByteTimeoutMs,
    });
  };
}
