import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Envelope } from '@aigw/contracts';
import { type Logger, createLogger } from '@aigw/core';
import { type BackoffRange } from '../async/backoff';
import { type DeadLetterWriter, deadLetterHeaders } from '../dead-letter-writer';
import { topicsFor } from '../envelope';
import { type ConsumedRecord, type EventPublisher, type EventSubscriber } from '../event-ports';
import { EventsError, EventsErrorCode } from '../events-error';
import { Topics } from '../topics';
import { ConsumerOffsetFile } from './consumer-offset-file';
import { EmbeddedEventPublisher } from './embedded-event-publisher';
import { EmbeddedEventSubscriber } from './embedded-event-subscriber';
import { EmbeddedTopicLog } from './embedded-topic-log';
import { assertTopicName } from './topic-name';

/** Options of {@link EmbeddedEventLog}; only `dataDir` is required. */
export interface EmbeddedEventLogOptions {
  /** Root directory: one sub-directory per topic. One process owns it at a time. */
  readonly dataDir: string;
  /** fsync every append and offset commit (default false: survives a process crash, not a power cut). */
  readonly fsync?: boolean;
  /** Size at which a new segment file is started (default 64 MiB). */
  readonly segmentBytes?: number;
  /** Most records per handler call (default 1000). */
  readonly maxBatchRecords?: number;
  /** Subscribers wait this long after new records to batch more of them (default 0). */
  readonly lingerMs?: number;
  /**
   * Appends wait this long to be written together (default 0: the lines of one tick are one
   * write). Each write is a system call handed to the thread pool; a few ms of gathering makes
   * one of many. `flush()` and `close()` write at once.
   */
  readonly writeDelayMs?: number;
  /** Wait before a batch whose handler failed is delivered again (default 100 ms doubling to 5 s). */
  readonly retryBackoff?: BackoffRange;
  /** Topics of an event (default `topicsFor`, the routing of record). */
  readonly topicsFor?: (envelope: Envelope) => readonly string[];
  readonly logger?: Logger;
}

/**
 * The standalone-mode event log: an append-only log on local disk with Kafka's semantics for
 * one process (topics, consumer groups, commit after handling, redelivery on failure).
 *
 * Layout: `<dataDir>/<topic>/<base>.jsonl` segments holding one record per line,
 * `{"k":key,"v":<event JSON as a string>}`, and `<dataDir>/<topic>/consumer-offsets/<group>.json`.
 * Offsets are byte positions within the topic (as strings): a record's offset is where its line
 * starts; a committed offset is where the group resumes. Every topic has a single partition 0.
 * A line torn by a crash mid-write is cut off when the log is opened again.
 */
export class EmbeddedEventLog {
  private readonly topics = new Map<string, EmbeddedTopicLog>();
  private readonly subscribed = new Map<string, EmbeddedEventSubscriber>();
  private readonly logger: Logger;
  private readonly route: (envelope: Envelope) => readonly string[];
  private closed = false;

  constructor(private readonly options: EmbeddedEventLogOptions) {
    this.logger = options.logger ?? createLogger({ component: 'embedded-event-log' });
    this.route = options.topicsFor ?? topicsFor;
    mkdirSync(options.dataDir, { recursive: true });
  }

  /** A publisher writing into this log. */
  publisher(): EventPublisher {
    this.assertOpen();
    return new EmbeddedEventPublisher((topic) => this.topic(topic), this.route, this.logger);
  }

  /** A subscriber of `topic` for `groupId`; a group has at most one running subscriber per topic. */
  subscriber(topic: string, groupId: string): EventSubscriber {
    this.assertOpen();
    if (groupId.length === 0) {
      throw new EventsError(EventsErrorCode.InvalidGroup, 'group id must not be empty', { topic });
    }
    const log = this.topic(topic);
    const key = `${topic}\u0000${groupId}`;
    if (this.subscribed.has(key)) {
      throw new EventsError(
        EventsErrorCode.AlreadyRunning,
        `group "${groupId}" already has a subscriber on "${topic}"`,
        { topic, groupId },
      );
    }
    const offsets = new ConsumerOffsetFile(
      join(this.options.dataDir, topic, 'consumer-offsets'),
      groupId,
      this.options.fsync ?? false,
    );
    const subscriber = new EmbeddedEventSubscriber(log, offsets, {
      groupId,
      maxBatchRecords: this.options.maxBatchRecords ?? 1000,
      lingerMs: this.options.lingerMs ?? 0,
      retryBackoff: this.options.retryBackoff ?? { initialMs: 100, maxMs: 5_000 },
      logger: this.logger,
      onStop: () => this.subscribed.delete(key),
    });
    this.subscribed.set(key, subscriber);
    return subscriber;
  }

  /**
   * Writes records a consumer could not use to `topic` (default the dead-letter topic): the
   * original key and value, with the reason and origin in an `"h"` field of the line.
   * `write` resolves once the line is written.
   */
  deadLetterWriter(topic: string = Topics.deadLetter.name): DeadLetterWriter {
    const log = this.topic(topic);
    return {
      write: async (record: ConsumedRecord, reason: string) => {
        const value = record.value.toString('utf8');
        log.append(
          JSON.stringify({ k: record.key, v: value, h: deadLetterHeaders(record, reason) }) + '\n',
        );
        await log.flush();
      },
      close: async () => log.flush(),
    };
  }

  /** Byte position after the last record of `topic`, as an offset string. */
  endOffset(topic: string): string {
    return String(this.topic(topic).endPosition());
  }

  /** Stops its subscribers, writes what is pending and closes every file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscribed.values()].map((subscriber) => subscriber.stop()));
    await Promise.all([...this.topics.values()].map((log) => log.close()));
  }

  private topic(name: string): EmbeddedTopicLog {
    this.assertOpen();
    let log = this.topics.get(name);
    if (!log) {
      assertTopicName(name);
      log = new EmbeddedTopicLog(name, join(this.options.dataDir, name), {
        fsync: this.options.fsync ?? false,
        segmentBytes: this.options.segmentBytes ?? 64 * 1024 * 1024,
        writeDelayMs: this.options.writeDelayMs ?? 0,
        logger: this.logger,
      });
      this.topics.set(name, log);
    }
    return log;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventsError(EventsErrorCode.Closed, 'embedded event log is closed');
  }
}
