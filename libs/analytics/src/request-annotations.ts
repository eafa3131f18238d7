import { type Envelope } from '@aigw/contracts';
import { type RequestAnnotations } from './event-rows';

/**
 * Collects what a request's other events add to its `requests` row, from the events of that
 * request in any order: provider attempts that fell back, the last provider error class, and
 * guardrails that masked or blocked. Feeding the same event twice changes nothing.
 */
export class RequestAnnotationBuilder {
  private readonly fallbacks = new Map<number, string>();
  private lastFailedAttempt = 0;
  private errorClass = '';
  private readonly guardrailActions = new Set<string>();

  add(envelope: Envelope): void {
    const payload = envelope.payload;
    if (payload?.$case === 'providerAttempted') {
      const attempt = payload.value;
      if (attempt.fellBack) {
        this.fallbacks.set(attempt.attempt, `${attempt.provider}/${attempt.model}`);
      }
      if (attempt.errorClass && attempt.attempt >= this.lastFailedAttempt) {
        this.lastFailedAttempt = attempt.attempt;
        this.errorClass = attempt.errorClass;
      }
    } else if (payload?.$case === 'guardrailEvaluated' && payload.value.verdict !== 'passed') {
      const { stage, guardrail, verdict } = payload.value;
      this.guardrailActions.add(`${stage}:${guardrail}:${verdict}`);
    }
  }

  build(): RequestAnnotations {
    return {
      fallbacks: [...this.fallbacks.entries()].sort(([a], [b]) => a - b).map(([, to]) => to),
      errorClass: this.errorClass,
      guardrailActions: [...this.guardrailActions].sort(),
    };
  }
}

/** True for the events whose data ends up in a request's annotations. */
export function annotatesRequest(envelope: Envelope): boolean {
  const kind = envelope.payload?.$case;
  return kind === 'providerAttempted' || kind === 'guardrailEvaluated';
}
