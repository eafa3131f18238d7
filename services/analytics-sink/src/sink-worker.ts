import {
  AnalyticsSink,
  type AnalyticsStore,
  analyticsMigrations,
  type DeadLetterHandler,
  type EndpointTagsLookup,
  runMigrations,
} from '@aigw/analytics';
import { type Logger } from '@aigw/core';
import { type EventSubscriber } from '@aigw/events';
import { type AccumulatorLimits, RecordAccumulator } from './record-accumulator';
import { SinkMetrics } from './sink-metrics';

/** Options of {@link SinkWorker}. */
export interface SinkWorkerOptions {
  /** Tags of each endpoint, copied onto `requests` rows. */
  readonly endpointTags?: EndpointTagsLookup;
  /**
   * Called after a batch's rows are in ClickHouse and before its offsets are committed, with
   * the number of batches stored so far (fault-injection tests crash the process here).
   */
  readonly afterBatchStored?: (batches: number) => void;
  /** How records delivered at the same time are gathered into one write. */
  readonly batching?: AccumulatorLimits;
}

/**
 * The analytics-sink process's work: migrate, then feed what every subscribed topic and
 * partition delivers to the sink, gathered into writes by size and time (RecordAccumulator).
 * A delivery is acknowledged (and its offsets committed) only after its write succeeded, and
 * its partition gets no new batch before: memory is bounded by the batches in hand
 * (backpressure on the broker).
 */
export class SinkWorker {
  readonly sink: AnalyticsSink;
  readonly metrics = new SinkMetrics();
  private readonly subscribers: readonly EventSubscriber[];
  private running: Promise<void>[] = [];
  private readonly batching: AccumulatorLimits | undefined;
  private readonly afterBatchStored: ((batches: number) => void) | undefined;

  constructor(
    private readonly store: AnalyticsStore,
    subscribers: EventSubscriber | readonly EventSubscriber[],
    deadLetter: DeadLetterHandler,
    private readonly logger: Logger,
    options: SinkWorkerOptions = {},
  ) {
    this.subscribers = Array.isArray(subscribers) ? subscribers : [subscribers as EventSubscriber];
    this.sink = new AnalyticsSink({ store, deadLetter, endpointTags: options.endpointTags });
    this.afterBatchStored = options.afterBatchStored;
    this.batching = options.batching;
  }

  async start(): Promise<void> {
    await runMigrations(this.store, analyticsMigrations);
    const accumulator = new RecordAccumulator(async (records) => {
      const started = performance.now();
      const result = await this.sink.handleBatch(records);
      this.metrics.recordBatch(records.length, result, performance.now() - started);
      this.logger.debug('batch stored', { ...result, batches: this.metrics.batches });
      this.afterBatchStored?.(this.metrics.batches);
    }, this.batching);
    this.running = this.subscribers.map((subscriber) => {
      const running = subscriber.run((records) => accumulator.add(records));
      running.catch((error: unknown) => this.logger.error('sink consumer stopped', { error }));
      return running;
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscribers.map((subscriber) => subscriber.stop()));
    await Promise.all(this.running.map((running) => running.catch(() => undefined)));
    await this.store.close();
  }
}
