import { type Envelope } from '@aigw/contracts';
import { type Logger, createLogger } from '@aigw/core';
import { Partitioners, type ProducerConfig } from 'kafkajs';
import { type BackoffRange } from '../async/backoff';
import { errorMessage } from '../async/error-message';
import { topicsFor } from '../envelope';
import { encodeEnvelope } from '../envelope-codec';
import { activeTraceparent } from '../trace-context';
import { type EventPublisher } from '../event-ports';
import { DiskEventSpool } from './disk-event-spool';
import { KafkaProducerConnection, type ProducerSource } from './kafka-producer-connection';
import { type BatchLimits, type OutboundEvent, batchEnd, toProducerBatch } from './outbound-event';
import { SpoolReplayer } from './spool-replayer';

/** Options of {@link KafkaEventPublisher}; everything but `kafka` and `spoolDir` has a default. */
export interface KafkaEventPublisherOptions {
  /** Creates producers: a kafkajs `Kafka` client (see `createKafkaEventPublisher`). */
  readonly kafka: ProducerSource;
  /** Directory of the durable spool; one publisher (one process) per directory. */
  readonly spoolDir: string;
  readonly logger?: Logger;
  /** Topics of an event (default `topicsFor`, the routing of record). */
  readonly topicsFor?: (envelope: Envelope) => readonly string[];
  /** Events per `sendBatch`; a full batch is sent at once (default 500). */
  readonly batchSize?: number;
  /** How long a lone event waits for company before it is sent (default 5 ms). */
  readonly lingerMs?: number;
  /** Sum of event sizes per `sendBatch` (default 900 KiB, under Kafka's 1 MiB batch limit). */
  readonly maxBatchBytes?: number;
  /** Larger events are dropped with an error log, as Kafka would reject them (default 900 KiB). */
  readonly maxEventBytes?: number;
  /** Events held in memory; beyond this, publish() writes them to the spool (default 20 000). */
  readonly maxQueuedEvents?: number;
  /** Wait between replay attempts while Kafka is unreachable (default 250 ms doubling to 10 s). */
  readonly replayBackoff?: BackoffRange;
  /** Size at which a spool segment is closed off (default 4 MiB). */
  readonly maxSpoolSegmentBytes?: number;
}

/** Producer settings: idempotent, one request in flight (order kept across retries), murmur2 keys. */
export const kafkaProducerConfig: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
  // A send to a dead broker must fail within seconds so its batch moves to the spool; the
  // spool's replay loop is the long-term retry.
  retry: { retries: 4, initialRetryTime: 100, maxRetryTime: 2_000 },
};

/** A cut batch: its number fixes its place in Kafka relative to spooled batches. */
interface Batch {
  readonly seq: number;
  /** Publish ordinal of its first event, for flush(). */
  readonly firstOrdinal: number;
  readonly events: readonly OutboundEvent[];
}

/**
 * Publishes events to Kafka without ever making the caller wait for the broker.
 *
 * `publish()` encodes, routes and queues; a background loop sends batches (every `lingerMs`,
 * or at once when `batchSize` events are queued) with acks from all in-sync replicas. When a
 * send fails or the broker cannot be reached (also at startup), batches go to a durable local
 * spool (fsynced JSONL) and a replay loop sends the spool back, oldest first, once Kafka is
 * reachable; while anything is spooled, new batches queue behind it in the spool, so events
 * reach Kafka in publish order. Delivery is at least once: a batch whose acknowledgement was
 * lost may be sent twice, and consumers dedupe on `event_id`.
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly logger: Logger;
  private readonly route: (envelope: Envelope) => readonly string[];
  private readonly limits: BatchLimits;
  private readonly lingerMs: number;
  private readonly maxEventBytes: number;
  private readonly maxQueuedEvents: number;
  private readonly replayBackoff: BackoffRange;
  private readonly spool: DiskEventSpool;
  private readonly connection: KafkaProducerConnection;

  private queue: OutboundEvent[] = [];
  /** Events accepted so far; the ordinal of the next one. */
  private published = 0;
  private nextSeq: number;
  private inFlight: Batch | undefined;
  private draining = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private flushWaiters: { readonly target: number; readonly resolve: () => void }[] = [];
  private healthy = true;
  private accepting = true;
  private closing: Promise<void> | undefined;
  private dropped = 0;
  private readonly replayer: SpoolReplayer;

  constructor(options: KafkaEventPublisherOptions) {
    this.logger = options.logger ?? createLogger({ component: 'kafka-event-publisher' });
    this.route = options.topicsFor ?? topicsFor;
    this.limits = {
      maxEvents: options.batchSize ?? 500,
      maxBytes: options.maxBatchBytes ?? 900 * 1024,
    };
    this.lingerMs = options.lingerMs ?? 5;
    this.maxEventBytes = options.maxEventBytes ?? 900 * 1024;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 20_000;
    this.replayBackoff = options.replayBackoff ?? { initialMs: 250, maxMs: 10_000 };
    this.spool = new DiskEventSpool(options.spoolDir, this.logger, {
      ...(options.maxSpoolSegmentBytes ? { maxSegmentBytes: options.maxSpoolSegmentBytes } : {}),
    });
    this.nextSeq = this.spool.firstFreeSeq;
    this.connection = new KafkaProducerConnection(options.kafka, kafkaProducerConfig);
    // Connect in the background: a broker that is down must not block or fail the caller.
    void this.connection.get().catch((error: unknown) => this.markUnhealthy(error));
    this.replayer = new SpoolReplayer(
      this.spool,
      this.connection,
      this.limits,
      this.replayBackoff,
      {
        olderBatchInFlight: (seq) => this.inFlight !== undefined && this.inFlight.seq < seq,
        onReplayed: () => this.markHealthy(),
        onFailure: (error) => this.markUnhealthy(error),
      },
    );
  }

  /** Queues the event; never waits and never throws (a failure is logged and counted). */
  publish(envelope: Envelope): void {
    try {
      const value = encodeEnvelope(envelope);
      if (value.length > this.maxEventBytes) {
        this.drop(envelope, 'event larger than maxEventBytes', value.length);
        return;
      }
      const topics = this.route(envelope);
      if (topics.length === 0) return;
      const event: OutboundEvent = {
        key: envelope.requestId,
        value,
        traceId: envelope.traceId,
        traceparent: activeTraceparent(envelope.traceId),
        topics,
      };
      if (!this.accepting) {
        // Late events during or after close(): keep them for the next run, not in memory.
        this.spill([event]);
        return;
      }
      this.queue.push(event);
      this.published += 1;
      if (this.queue.length >= this.maxQueuedEvents) this.spillQueue();
      else this.schedule();
    } catch (error) {
      this.drop(envelope, errorMessage(error));
    }
  }

  /** Resolves once every event published so far is acknowledged by Kafka or in the spool. */
  flush(): Promise<void> {
    const target = this.published;
    if (this.lowestUnsettled() >= target) return Promise.resolve();
    const settled = new Promise<void>((resolve) => this.flushWaiters.push({ target, resolve }));
    void this.drain();
    return settled;
  }

  /** Flushes, then disconnects; whatever is still spooled is replayed by the next publisher. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Events currently waiting in the spool (for metrics and tests). */
  spooledCount(): number {
    return this.spool.count();
  }

  /** Events that could not be published at all (unencodable, too large, spool write failed). */
  droppedCount(): number {
    return this.dropped;
  }

  private schedule(): void {
    // A running drain loop picks up new events after its current batch.
    if (this.draining) return;
    if (this.queue.length >= this.limits.maxEvents) {
      void this.drain();
    } else if (!this.lingerTimer) {
      this.lingerTimer = setTimeout(() => void this.drain(), this.lingerMs);
    }
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    try {
      while (this.queue.length > 0) {
        const firstOrdinal = this.published - this.queue.length;
        const events = this.queue.splice(0, batchEnd(this.queue, 0, this.limits));
        const batch: Batch = { seq: this.nextSeq++, firstOrdinal, events };
        this.inFlight = batch;
        await this.deliver(batch);
        this.inFlight = undefined;
        this.settleWaiters();
        this.replayer.poke();
      }
    } finally {
      this.draining = false;
    }
  }

  private async deliver(batch: Batch): Promise<void> {
    // Straight to Kafka only when nothing older waits in the spool, or order would break.
    if (this.healthy && this.spool.isEmpty()) {
      try {
        const producer = await this.connection.get();
        await producer.sendBatch(toProducerBatch(batch.events));
        return;
      } catch (error) {
        this.markUnhealthy(error);
        this.connection.reset();
      }
    }
    try {
      await this.spool.append(batch.seq, batch.events);
    } catch (error) {
      this.lose(batch.events.length, error);
    }
  }

  /** Moves the whole in-memory queue to the spool, synchronously, when memory is full. */
  private spillQueue(): void {
    const events = this.queue;
    this.queue = [];
    this.logger.warn('event queue full; spilling to the spool', { events: events.length });
    this.spill(events);
    this.settleWaiters();
  }

  private spill(events: readonly OutboundEvent[]): void {
    try {
      this.spool.appendSync(this.nextSeq++, events);
      this.replayer.poke();
    } catch (error) {
      this.lose(events.length, error);
    }
  }

  private async shutdown(): Promise<void> {
    this.accepting = false;
    await this.flush();
    // Nothing is sent directly any more: the replayer closes the shared connection.
    await this.replayer.stop();
    await this.spool.close();
    const spooled = this.spool.count();
    if (spooled > 0) {
      this.logger.warn('publisher closed with events in the spool; the next start replays them', {
        events: spooled,
      });
    }
  }

  private lowestUnsettled(): number {
    const queued = this.published - this.queue.length;
    return this.inFlight ? Math.min(queued, this.inFlight.firstOrdinal) : queued;
  }

  private settleWaiters(): void {
    const lowest = this.lowestUnsettled();
    const waiting = this.flushWaiters;
    this.flushWaiters = [];
    for (const waiter of waiting) {
      if (waiter.target <= lowest) waiter.resolve();
      else this.flushWaiters.push(waiter);
    }
  }

  private markUnhealthy(error: unknown): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.logger.warn('Kafka unreachable; spooling events to disk', { error: errorMessage(error) });
  }

  private markHealthy(): void {
    if (!this.healthy) {
      this.healthy = true;
      this.logger.info('Kafka reachable again; replaying the spool', {
        spooled: this.spool.count(),
      });
    }
    if (this.spool.isEmpty()) this.logger.info('event spool drained');
  }

  private drop(envelope: Envelope, reason: string, bytes?: number): void {
    this.dropped += 1;
    // Identifiers only: an event's payload may hold prompts or secrets.
    this.logger.error('event dropped', {
      reason,
      eventId: envelope.eventId,
      type: envelope.type,
      requestId: envelope.requestId,
      ...(bytes === undefined ? {} : { bytes }),
    });
  }

  private lose(count: number, error: unknown): void {
    this.dropped += count;
    this.logger.error('events lost: spool write failed', {
      events: count,
      error: errorMessage(error),
    });
  }
}
