import { type Logger, createLogger } from '@aigw/core';
import { type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import { type BackoffRange } from '../async/backoff';
import { errorMessage } from '../async/error-message';
import { WakeSignal } from '../async/wake-signal';
import { type ConsumedRecord, type EventSubscriber } from '../event-ports';
import { EventsError, EventsErrorCode } from '../events-error';
import { recordConsumerSpans } from '../trace-context';
import { createKafkaClient } from './kafka-client';

/** Options of {@link KafkaEventSubscriber}. */
export interface KafkaEventSubscriberOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group without committed offsets starts: the oldest retained event (default true). */
  readonly fromBeginning?: boolean;
  readonly logger?: Logger;
  /** Wait before a batch whose handler failed is delivered again (default 200 ms doubling to 10 s). */
  readonly retryBackoff?: BackoffRange;
  /** Longest wait of one fetch for new records (default 500 ms; also bounds how long stop() takes). */
  readonly maxWaitTimeMs?: number;
  /** Consumer group session timeout (default 30 s). */
  readonly sessionTimeoutMs?: number;
  /**
   * Most bytes one fetch returns per partition (default 1 MiB) and in total (default 10 MiB):
   * larger fetches mean fewer, larger batches; memory in hand is bounded by the total.
   */
  readonly maxBytesPerPartition?: number;
  readonly maxBytes?: number;
  /**
   * Partition batches handed to the handler at the same time (default 1). With more, a handler
   * that gathers records across calls can insert several partitions' batches at once; each
   * partition still commits only after its own call resolved.
   */
  readonly partitionsConsumedConcurrently?: number;
}

const heartbeatEveryMs = 3_000;

/**
 * Reads topics as a Kafka consumer group, one partition batch at a time.
 *
 * Offsets are committed only after the handler resolved for the whole batch. If the handler
 * throws, nothing is committed: the consumer seeks back to the batch's first record, backs off
 * and delivers the same records again (until the handler succeeds), so no record is skipped.
 * `run()` resolves once the consumer has joined; consuming continues until `stop()`.
 */
export class KafkaEventSubscriber implements EventSubscriber {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly retryBackoff: BackoffRange;
  private readonly stopping = new WakeSignal();
  private readonly failures = new Map<string, number>();
  private consumer: Consumer | undefined;
  private stopped = false;

  constructor(private readonly options: KafkaEventSubscriberOptions) {
    this.logger =
      options.logger ??
      createLogger({ component: 'kafka-event-subscriber', groupId: options.groupId });
    this.retryBackoff = options.retryBackoff ?? { initialMs: 200, maxMs: 10_000 };
    this.kafka = createKafkaClient({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: this.logger,
    });
  }

  async run(handler: (records: readonly ConsumedRecord[]) => Promise<void>): Promise<void> {
    if (this.consumer) {
      throw new EventsError(EventsErrorCode.AlreadyRunning, 'subscriber is already running', {
        groupId: this.options.groupId,
      });
    }
    this.stopped = false;
    await this.startConsumer(handler);
  }

  /** Stops after the batch in hand (its handler finishes; a failed one is not retried now). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.notify();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }

  private async startConsumer(
    handler: (records: readonly ConsumedRecord[]) => Promise<void>,
  ): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 500,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      ...(this.options.maxBytesPerPartition
        ? { maxBytesPerPartition: this.options.maxBytesPerPartition }
        : {}),
      ...(this.options.maxBytes ? { maxBytes: this.options.maxBytes } : {}),
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    // kafkajs restarts a crashed consumer itself only after errors it deems retriable; after any
    // other (e.g. no group coordinator while the broker restarts) it stops for good. A sink must
    // outlive any broker outage, so such a consumer is replaced by a new one until stop().
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped || this.consumer !== consumer) return;
      this.logger.warn('Kafka consumer stopped after an error; starting a new one', {
        error: errorMessage(payload.error),
      });
      void this.replace(consumer, handler);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: [...this.options.topics],
        fromBeginning: this.options.fromBeginning ?? true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.deliver(consumer, payload, handler),
      });
    } catch (error) {
      if (this.consumer === consumer) this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Starts a new consumer in place of a crashed one, backing off while the broker is away. */
  private async replace(
    crashed: Consumer,
    handler: (records: readonly ConsumedRecord[]) => Promise<void>,
  ): Promise<void> {
    await crashed.disconnect().catch(() => undefined);
    for (let attempt = 1; !this.stopped; attempt++) {
      await this.stopping.wait(this.delayFor(attempt));
      if (this.stopped) return;
      try {
        await this.startConsumer(handler);
        this.logger.info('Kafka consumer restarted', { attempt });
        return;
      } catch (error) {
        this.logger.warn('Kafka consumer could not restart yet', {
          attempt,
          error: errorMessage(error),
        });
      }
    }
  }

  private async deliver(
    consumer: Consumer,
    payload: EachBatchPayload,
    handler: (records: readonly ConsumedRecord[]) => Promise<void>,
  ): Promise<void> {
    const { batch } = payload;
    // A stale batch was fetched before a seek back on its partition: the seek redelivers it.
    if (batch.isEmpty() || payload.isStale() || !payload.isRunning()) return;
    const records: ConsumedRecord[] = batch.messages.map((message) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      value: message.value ?? Buffer.alloc(0),
      traceparent: message.headers?.['traceparent']?.toString(),
    }));
    const first = records[0]!.offset;
    const partitionKey = `${batch.topic}/${batch.partition}`;
    const started = Date.now();
    try {
      await this.withHeartbeats(payload, () => handler(records));
    } catch (error) {
      const attempt = (this.failures.get(partitionKey) ?? 0) + 1;
      this.failures.set(partitionKey, attempt);
      this.logger.warn('event handler failed; the batch will be delivered again', {
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: first,
        records: records.length,
        attempt,
        error: errorMessage(error),
      });
      // Rewind this partition to the batch's first record; nothing after it is handled first.
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: first });
      await this.stopping.wait(this.delayFor(attempt));
      return;
    }
    this.failures.delete(partitionKey);
    recordConsumerSpans(records, this.options.groupId, started);
    payload.resolveOffset(batch.lastOffset());
    // A committed offset names the next record to read.
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: next },
    ]);
  }

  // A slow handler must not make the group think this member died and rebalance mid-batch.
  private async withHeartbeats(
    payload: EachBatchPayload,
    work: () => Promise<void>,
  ): Promise<void> {
    const timer = setInterval(() => {
      payload.heartbeat().catch(() => undefined);
    }, heartbeatEveryMs);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }

  private delayFor(attempt: number): number {
    const { initialMs, maxMs } = this.retryBackoff;
    return Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
  }
}
