import { type Envelope } from '@aigw/contracts';
import { type Logger } from '@aigw/core';
import { errorMessage } from '../async/error-message';
import { encodeEnvelope } from '../envelope-codec';
import { type EventPublisher } from '../event-ports';
import { type EmbeddedTopicLog } from './embedded-topic-log';

/** Publishes into the embedded log: one JSONL line per (event, topic), written per tick. */
export class EmbeddedEventPublisher implements EventPublisher {
  private readonly touched = new Set<EmbeddedTopicLog>();

  constructor(
    private readonly topicLog: (topic: string) => EmbeddedTopicLog,
    private readonly route: (envelope: Envelope) => readonly string[],
    private readonly logger: Logger,
  ) {}

  /** Queues the event for this tick's write; never waits and never throws. */
  publish(envelope: Envelope): void {
    try {
      const line =
        JSON.stringify({ k: envelope.requestId, v: encodeEnvelope(envelope).toString('utf8') }) +
        '\n';
      for (const topic of this.route(envelope)) {
        const log = this.topicLog(topic);
        log.append(line);
        this.touched.add(log);
      }
    } catch (error) {
      // Identifiers only: an event's payload may hold prompts or secrets.
      this.logger.error('event dropped', {
        eventId: envelope.eventId,
        type: envelope.type,
        requestId: envelope.requestId,
        error: errorMessage(error),
      });
    }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.touched].map((log) => log.flush()));
  }

  /** Flushes; the files stay open until the log itself is closed. */
  async close(): Promise<void> {
    await this.flush();
  }
}
