import {
  AnalyticsSink,
  type AnalyticsStore,
  analyticsMigrations,
  type DeadLetterHandler,
  runMigrations,
} from '@aigw/analytics';
import { type Logger } from '@aigw/core';
import { type EventSubscriber } from '@aigw/events';

/**
 * The analytics-sink process's work: migrate, then feed every consumed batch to the sink.
 * Offsets are committed by the subscriber only after `handleBatch` resolved.
 */
export class SinkWorker {
  readonly sink: AnalyticsSink;
  private running: Promise<void> | undefined;
  private batches = 0;

  constructor(
    private readonly store: AnalyticsStore,
    private readonly subscriber: EventSubscriber,
    deadLetter: DeadLetterHandler,
    private readonly logger: Logger,
  ) {
    this.sink = new AnalyticsSink({ store, deadLetter });
  }

  async start(): Promise<void> {
    await runMigrations(this.store, analyticsMigrations);
    this.running = this.subscriber.run(async (records) => {
      const result = await this.sink.handleBatch(records);
      this.batches += 1;
      this.logger.debug('batch stored', { ...result, batches: this.batches });
    });
    this.running.catch((error: unknown) => this.logger.error('sink consumer stopped', { error }));
  }

  async stop(): Promise<void> {
    await this.subscriber.stop();
    await this.running?.catch(() => undefined);
    await this.store.close();
  }
}
