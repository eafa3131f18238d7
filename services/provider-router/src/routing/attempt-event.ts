import { type RequestContext, type RouteTarget } from '@aigw/contracts';
import { monotonicMs, roundMs } from '@aigw/core';
import { createEnvelope, type EventPublisher } from '@aigw/events';

const serviceName = 'provider-router';

/** What one try (or one skip) of a target came to. */
export interface AttemptOutcome {
  readonly status: number;
  /** Empty on success; a ProviderErrorClass, or "circuit_open" for a skip. */
  readonly errorClass: string;
  /** The router moves on to another target. */
  readonly fellBack: boolean;
  /** The router tries this target again, after `backoffMs`. */
  readonly retried: boolean;
  readonly backoffMs: number;
}

/** Emits `provider.attempted` for every try, and `cost.unknown` for an unpriced model. */
export class RouteEvents {
  constructor(private readonly events: EventPublisher) {}

  attempted(
    context: RequestContext | undefined,
    attempt: number,
    target: RouteTarget,
    started: number,
    outcome: AttemptOutcome,
  ): void {
    if (!context) return;
    this.events.publish(
      createEnvelope(serviceName, context, {
        $case: 'providerAttempted',
        value: {
          attempt,
          provider: target.provider,
          model: target.model,
          status: outcome.status,
          latencyMs: roundMs(monotonicMs() - started),
          errorClass: outcome.errorClass,
          fellBack: outcome.fellBack,
          retried: outcome.retried,
          backoffMs: outcome.backoffMs,
        },
      }),
    );
  }

  costUnknown(context: RequestContext | undefined, target: RouteTarget): void {
    if (!context) return;
    this.events.publish(
      createEnvelope(serviceName, context, {
        $case: 'costUnknown',
        value: { provider: target.provider, model: target.model },
      }),
    );
  }
}
