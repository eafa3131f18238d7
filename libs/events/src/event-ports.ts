import { type Envelope } from '@aigw/contracts';

/**
 * Where services put events. `publish` never waits for the broker and never throws:
 * adapters batch, and spool to disk when the log is unreachable.
 */
export interface EventPublisher {
  publish(envelope: Envelope): void;
  /** Resolves once everything published so far is durable in the log (or in the spool). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** One record read back from the log, not yet parsed. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer;
  /** W3C context of the span that emitted the event (Kafka header), when it had one. */
  readonly traceparent?: string;
}

/**
 * Reads a topic as a consumer group. The handler gets batches; offsets are committed only after
 * the handler resolved, so a batch whose handler threw (or whose process died) is delivered again.
 */
export interface EventSubscriber {
  run(handler: (records: readonly ConsumedRecord[]) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
