import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * True once a tracer provider is registered (telemetry exports), so hot-path tracing hooks can
 * be left out entirely when it is not. The probe span is never ended, so never exported.
 */
export function tracingActive(): boolean {
  return isSpanContextValid(trace.getTracer('aigw.probe').startSpan('probe').spanContext());
}
