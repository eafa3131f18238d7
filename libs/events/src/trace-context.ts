import {
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { type ConsumedRecord } from './event-ports';

/**
 * `traceparent` of the active span when it belongs to the event's trace, so a consumer can
 * continue the request's trace from the Kafka record; undefined outside any span.
 */
export function activeTraceparent(traceId: string): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext) || spanContext.traceId !== traceId) {
    return undefined;
  }
  const sampled = (spanContext.traceFlags & (TraceFlags.SAMPLED as number)) !== 0;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${sampled ? '01' : '00'}`;
}

const consumerTracer = trace.getTracer('aigw.events');

/**
 * Continues each consumed record's trace (from its `traceparent` header) with a CONSUMER span
 * covering its handling, so a request's trace ends in the service that stored its events.
 */
export function recordConsumerSpans(
  records: readonly ConsumedRecord[],
  consumer: string,
  startTime: number,
): void {
  for (const record of records) {
    if (!record.traceparent) continue;
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent: record.traceparent });
    consumerTracer
      .startSpan(
        `${record.topic} process`,
        {
          kind: SpanKind.CONSUMER,
          startTime,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.destination.name': record.topic,
            'messaging.consumer.group.name': consumer,
            'messaging.kafka.offset': Number(record.offset),
          },
        },
        parent,
      )
      .end();
  }
}
