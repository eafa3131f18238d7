import { type Producer, type ProducerConfig } from 'kafkajs';
import { EventsError, EventsErrorCode } from '../events-error';

/** The part of a kafkajs producer the publisher uses. */
export type BatchProducer = Pick<Producer, 'connect' | 'disconnect' | 'sendBatch'>;

/** Creates producers; a kafkajs `Kafka` client is one (tests pass a fake). */
export interface ProducerSource {
  producer(config?: ProducerConfig): BatchProducer;
}

/**
 * Holds one connected producer, connecting lazily. After a failed send the producer is
 * replaced rather than reused: a fresh producer gets a new producer id, so the idempotence
 * sequence numbers of a batch that may or may not have reached the broker cannot make the
 * broker mistake a later batch for a duplicate of it.
 */
export class KafkaProducerConnection {
  private current: Promise<BatchProducer> | undefined;
  private closed = false;

  constructor(
    private readonly source: ProducerSource,
    private readonly config: ProducerConfig,
  ) {}

  /** A connected producer; rejects if the broker cannot be reached. */
  get(): Promise<BatchProducer> {
    if (this.closed) {
      return Promise.reject(new EventsError(EventsErrorCode.Closed, 'producer connection closed'));
    }
    if (!this.current) {
      const producer = this.source.producer(this.config);
      const connected = producer.connect().then(() => producer);
      this.current = connected;
      void connected.catch(() => {
        if (this.current === connected) this.current = undefined;
        // kafkajs may keep sockets or timers of the failed attempt; release them.
        void producer.disconnect().catch(() => undefined);
      });
    }
    return this.current;
  }

  /** Drops the current producer (after a failed send); the next get() connects a new one. */
  reset(): void {
    const previous = this.current;
    this.current = undefined;
    void previous?.then((producer) => producer.disconnect()).catch(() => undefined);
  }

  /** Disconnects for good; an in-flight send on the producer fails. */
  async close(): Promise<void> {
    this.closed = true;
    const previous = this.current;
    this.current = undefined;
    if (!previous) return;
    try {
      await (await previous).disconnect();
    } catch {
      // Never connected, or already broken: nothing left to release.
    }
  }
}
