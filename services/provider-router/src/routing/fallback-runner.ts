import { setTimeout as sleep } from 'node:timers/promises';
import { type ErrorInfo, type RouteRequest, type RouteTarget } from '@aigw/contracts';
import { type CompiledConfig } from '@aigw/config';
import { monotonicMs } from '@aigw/core';
import { type ProviderAdapter } from '../providers/provider-adapter';
import { ProviderError } from '../providers/provider-error';
import { type ProviderRegistry } from '../providers/provider-registry';
import { type AttemptOutcome, type RouteEvents } from './attempt-event';
import { type CircuitBreaker, type CircuitBreakers } from './circuit-breaker';
import { exhaustedError } from './exhausted-error';
import { type RandomSource, retryDelayMs } from './retry-policy';
import { orderTargets } from './target-order';
import { type TargetSettings, type TargetSettingsResolver } from './target-settings';

/** A target the router can call, with what it needs to call it. */
export interface Candidate {
  readonly target: RouteTarget;
  readonly adapter: ProviderAdapter;
  readonly settings: TargetSettings;
  readonly breaker: CircuitBreaker;
}

/** One try at a candidate; throws ProviderError (or anything, read as a connection failure). */
export type TryCall<T> = (candidate: Candidate, signal: AbortSignal) => Promise<T>;

export type Routed<T> =
  | {
      readonly ok: true;
      readonly value: T;
      readonly candidate: Candidate;
      readonly attempts: number;
    }
  | {
      readonly ok: false;
      readonly attempts: number;
      readonly error: ErrorInfo;
      /** A provider's own 4xx body, passed to the client. */
      readonly body: Buffer;
    };

export interface FallbackRunnerDependencies {
  readonly registry: ProviderRegistry;
  readonly settings: TargetSettingsResolver;
  readonly breakers: CircuitBreakers;
  readonly events: RouteEvents;
  readonly random: RandomSource;
  /** Monotonic ms, for breaker cool-downs. */
  readonly now: () => number;
}

const noRetry = { retried: false, backoffMs: 0 } as const;

/** Without a caller's signal, a try may not run longer than this. */
const fallbackDeadlineMs = 10 * 60_000;

/**
 * Tries the plan's targets: priority groups in order, weighted inside a group; retries a target
 * with backoff on retriable failures, then falls back; skips a target whose breaker is open; never
 * moves on after a 4xx the request caused. Every try and skip emits `provider.attempted`.
 */
export class FallbackRunner {
  constructor(private readonly deps: FallbackRunnerDependencies) {}

  async run<T>(
    config: CompiledConfig,
    request: RouteRequest,
    signal: AbortSignal | undefined,
    call: TryCall<T>,
  ): Promise<Routed<T>> {
    const { events, now } = this.deps;
    const context = request.context;
    const caller = signal ?? AbortSignal.timeout(fallbackDeadlineMs);
    const candidates = this.candidates(config, request);
    let attempts = 0;
    let lastError: ProviderError | undefined;
    let skippedOpen = false;
    const failed = (): Routed<T> => ({
      ok: false,
      attempts,
      error: exhaustedError(lastError, skippedOpen),
      body: lastError?.upstreamBody ?? Buffer.alloc(0),
    });

    for (const [index, candidate] of candidates.entries()) {
      const { target, settings, breaker } = candidate;
      const hasNext = index < candidates.length - 1;
      const record = (started: number, outcome: AttemptOutcome): void =>
        events.attempted(context, attempts, target, started, outcome);
      if (!breaker.tryAcquire(now())) {
        attempts += 1;
        skippedOpen = true;
        const errorClass = 'circuit_open';
        record(monotonicMs(), { status: 0, errorClass, fellBack: hasNext, ...noRetry });
        continue;
      }
      for (let tries = 1; ; tries += 1) {
        attempts += 1;
        const started = monotonicMs();
        try {
          const value = await call(candidate, trySignal(caller, settings));
          breaker.recordSuccess();
          record(started, { status: 200, errorClass: '', fellBack: false, ...noRetry });
          return { ok: true, value, candidate, attempts };
        } catch (error) {
          const failure =
            error instanceof ProviderError
              ? error
              : new ProviderError('connection', 'provider call failed');
          const { status, errorClass } = failure;
          lastError = failure;
          if (caller.aborted || !failure.retriable) {
            // The client went away, or the provider is up and refused this request.
            if (caller.aborted) breaker.release();
            else breaker.recordSuccess();
            record(started, { status, errorClass, fellBack: false, ...noRetry });
            return failed();
          }
          breaker.recordFailure(now());
          const wait =
            breaker.current(now()) === 'open'
              ? undefined
              : retryDelayMs(failure, tries, settings.retry, this.deps.random);
          if (wait === undefined) {
            record(started, { status, errorClass, fellBack: hasNext, ...noRetry });
            break;
          }
          record(started, { status, errorClass, fellBack: false, retried: true, backoffMs: wait });
          try {
            await sleep(wait, undefined, { signal: caller });
          } catch {
            return failed();
          }
          // Another request may have opened the breaker meanwhile.
          if (!breaker.tryAcquire(now())) {
            attempts += 1;
            skippedOpen = true;
            const errorClass = 'circuit_open';
            record(monotonicMs(), { status: 0, errorClass, fellBack: hasNext, ...noRetry });
            break;
          }
        }
      }
    }
    return failed();
  }

  private candidates(config: CompiledConfig, request: RouteRequest): Candidate[] {
    const endpoint = request.context?.endpoint ?? '';
    // A target whose provider is not configured is skipped, so it is not a fall-back either.
    const runnable = request.targets.flatMap((target, position) => {
      const adapter = this.deps.registry.get(config, target.provider);
      if (!adapter) return [];
      const settings = this.deps.settings.settingsOf(config, endpoint, target);
      const breaker = this.deps.breakers.get(target.provider, target.model, settings.breaker);
      return [
        {
          candidate: { target, adapter, settings, breaker },
          weight: target.weight,
          priority: target.priority ?? position,
        },
      ];
    });
    return orderTargets(runnable, this.deps.random).map((entry) => entry.candidate);
  }
}

/**
 * The caller's signal, limited by the target's total timeout when it has one. Built from a
 * controller and a timer rather than AbortSignal.any + AbortSignal.timeout: on Node 20 a
 * composed timeout signal can be garbage-collected under load and then never fires.
 */
function trySignal(caller: AbortSignal, settings: TargetSettings): AbortSignal {
  if (settings.totalTimeoutMs === undefined) return caller;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('the total timeout passed', 'TimeoutError')),
    settings.totalTimeoutMs,
  );
  timer.unref();
  const forward = (): void => controller.abort(caller.reason);
  if (caller.aborted) forward();
  else caller.addEventListener('abort', forward, { once: true });
  controller.signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      caller.removeEventListener('abort', forward);
    },
    { once: true },
  );
  return controller.signal;
}
