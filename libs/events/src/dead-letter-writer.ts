import { type ConsumedRecord } from './event-ports';

/**
 * Where records that cannot be parsed go, with the reason, so nothing read from the log is
 * thrown away silently. `write` resolves once the record is durable in the dead-letter topic.
 */
export interface DeadLetterWriter {
  write(record: ConsumedRecord, reason: string): Promise<void>;
  close(): Promise<void>;
}

/** Headers carried by a dead-lettered record: why, and where it came from. */
export function deadLetterHeaders(record: ConsumedRecord, reason: string): Record<string, string> {
  return {
    dlq_reason: reason.slice(0, 500),
    source_topic: record.topic,
    source_partition: String(record.partition),
    source_offset: record.offset,
  };
}
