import { type Message, type ProducerBatch } from 'kafkajs';

/** One event on its way to Kafka: encoded once, keyed by request id, routed to its topics. */
export interface OutboundEvent {
  readonly key: string;
  readonly value: Buffer;
  readonly traceId: string;
  /** W3C context of the span that emitted the event, so consumers can continue its trace. */
  readonly traceparent?: string;
  readonly topics: readonly string[];
}

/** Limits of one `sendBatch` call. */
export interface BatchLimits {
  readonly maxEvents: number;
  /**
   * Sum of value sizes. Kafka rejects a record batch (all messages for one partition in one
   * request) above `message.max.bytes` (1 MiB by default), and kafkajs never splits one.
   */
  readonly maxBytes: number;
}

/** End index (exclusive) of the next batch starting at `start`; always takes at least one. */
export function batchEnd(
  events: readonly OutboundEvent[],
  start: number,
  limits: BatchLimits,
): number {
  let end = start;
  let bytes = 0;
  while (end < events.length && end - start < limits.maxEvents) {
    const size = events[end]!.value.length;
    if (end > start && bytes + size > limits.maxBytes) break;
    bytes += size;
    end += 1;
  }
  return end;
}

/**
 * The kafkajs request for a batch: one message per (event, topic), in publish order, acks from
 * all in-sync replicas, key = request id (so a request's events share a partition), trace id
 * (and the emitting span's `traceparent`, when there was one) as headers.
 */
export function toProducerBatch(events: readonly OutboundEvent[]): ProducerBatch {
  const byTopic = new Map<string, Message[]>();
  for (const event of events) {
    for (const topic of event.topics) {
      let messages = byTopic.get(topic);
      if (!messages) byTopic.set(topic, (messages = []));
      const headers: Record<string, string> = { trace_id: event.traceId };
      if (event.traceparent) headers['traceparent'] = event.traceparent;
      messages.push({ key: event.key, value: event.value, headers });
    }
  }
  return {
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  };
}
