import { type Logger } from '@aigw/core';
import { Backoff, type BackoffRange } from '../async/backoff';
import { errorMessage } from '../async/error-message';
import { WakeSignal } from '../async/wake-signal';
import { type ConsumedRecord, type EventSubscriber } from '../event-ports';
import { EventsError, EventsErrorCode } from '../events-error';
import { type ConsumerOffsetFile } from './consumer-offset-file';
import { type EmbeddedTopicLog } from './embedded-topic-log';
import { readRecords } from './embedded-topic-reader';

/** Settings of an embedded subscriber, given by {@link EmbeddedEventLog}. */
export interface EmbeddedEventSubscriberOptions {
  readonly groupId: string;
  readonly maxBatchRecords: number;
  /** After new records arrive, wait this long to gather more into one batch (default 0). */
  readonly lingerMs?: number;
  readonly retryBackoff: BackoffRange;
  readonly logger: Logger;
  /** Called once the subscriber stopped, so the group may be subscribed again. */
  readonly onStop: () => void;
}

/**
 * Reads one topic of the embedded log as a consumer group: from the group's committed
 * position, in batches, following new appends as soon as they are written. The position is
 * committed only after the handler resolved; if it throws, the same records come again after
 * a backoff. `run()` resolves once consuming started; it continues until `stop()`.
 */
export class EmbeddedEventSubscriber implements EventSubscriber {
  private loop: Promise<void> | undefined;
  private stopped = false;
  private readonly stopping = new WakeSignal();

  constructor(
    private readonly log: EmbeddedTopicLog,
    private readonly offsets: ConsumerOffsetFile,
    private readonly options: EmbeddedEventSubscriberOptions,
  ) {}

  async run(handler: (records: readonly ConsumedRecord[]) => Promise<void>): Promise<void> {
    if (this.loop || this.stopped) {
      throw new EventsError(
        this.stopped ? EventsErrorCode.Closed : EventsErrorCode.AlreadyRunning,
        this.stopped ? 'subscriber was stopped' : 'subscriber is already running',
        { topic: this.log.topic, groupId: this.options.groupId },
      );
    }
    this.loop = this.startAt(await this.offsets.load(), handler);
  }

  /** Stops after the batch in hand; its handler finishes (and commits, if it succeeded). */
  async stop(): Promise<void> {
    if (this.stopped) return this.loop;
    this.stopped = true;
    this.stopping.notify();
    this.log.appended.notify();
    await this.loop;
    this.options.onStop();
  }

  private async startAt(
    committed: number | undefined,
    handler: (records: readonly ConsumedRecord[]) => Promise<void>,
  ): Promise<void> {
    let position = committed ?? 0;
    const end = this.log.endPosition();
    if (position > end) {
      // The log lost its tail (written without fsync, then a crash): resume at its end.
      this.options.logger.warn('committed offset is past the end of the log; resuming at the end', {
        topic: this.log.topic,
        groupId: this.options.groupId,
        committed: position,
        end,
      });
      position = end;
    }
    await this.consume(position, handler);
  }

  private async consume(
    start: number,
    handler: (records: readonly ConsumedRecord[]) => Promise<void>,
  ): Promise<void> {
    const { logger, maxBatchRecords, groupId } = this.options;
    const backoff = new Backoff(this.options.retryBackoff);
    let position = start;
    while (!this.stopped) {
      let batch;
      try {
        batch = await readRecords(this.log, position, maxBatchRecords, logger);
      } catch (error) {
        logger.error('embedded event log: read failed', {
          topic: this.log.topic,
          error: errorMessage(error),
        });
        await this.stopping.wait(backoff.next());
        continue;
      }
      if (batch.records.length === 0) {
        if (batch.next > position) {
          position = batch.next;
          await this.commit(position);
        } else if (this.log.endPosition() <= position && !this.stopped) {
          // Checked and armed in the same tick: an append cannot slip in between.
          await this.log.appended.wait();
          // Fewer, larger batches: each one costs the handler (e.g. a ClickHouse insert).
          if (this.options.lingerMs) await this.stopping.wait(this.options.lingerMs);
        }
        continue;
      }
      try {
        await handler(batch.records);
      } catch (error) {
        logger.warn('event handler failed; the batch will be delivered again', {
          topic: this.log.topic,
          groupId,
          firstOffset: batch.records[0]!.offset,
          records: batch.records.length,
          error: errorMessage(error),
        });
        await this.stopping.wait(backoff.next());
        continue;
      }
      backoff.reset();
      position = batch.next;
      await this.commit(position);
      if (this.options.lingerMs && batch.records.length < maxBatchRecords) {
        await this.stopping.wait(this.options.lingerMs);
      }
    }
  }

  private async commit(position: number): Promise<void> {
    try {
      await this.offsets.save(position);
    } catch (error) {
      // Consuming goes on; after a restart the group resumes from its last saved position.
      this.options.logger.error('could not save the consumer offset; events may come again', {
        topic: this.log.topic,
        groupId: this.options.groupId,
        error: errorMessage(error),
      });
    }
  }
}
