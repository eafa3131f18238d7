import { type DeadLetterWriter, deadLetterHeaders } from '../dead-letter-writer';
import { type ConsumedRecord } from '../event-ports';
import { kafkaProducerConfig } from './kafka-event-publisher';
import { KafkaProducerConnection, type ProducerSource } from './kafka-producer-connection';

/** Options of {@link KafkaDeadLetterWriter}. */
export interface KafkaDeadLetterWriterOptions {
  /** Creates producers: a kafkajs `Kafka` client (see `createKafkaDeadLetterWriter`). */
  readonly kafka: ProducerSource;
  /** The dead-letter topic, e.g. `Topics.deadLetter.name`. */
  readonly topic: string;
}

/**
 * Writes records a consumer could not use to the dead-letter topic: the original key and
 * value, plus headers saying why and where from. Unlike the event publisher it waits for the
 * broker and throws when it cannot write, because the consumer must not commit past a record
 * that is neither handled nor dead-lettered; the batch is then delivered again.
 */
export class KafkaDeadLetterWriter implements DeadLetterWriter {
  private readonly connection: KafkaProducerConnection;

  constructor(private readonly options: KafkaDeadLetterWriterOptions) {
    this.connection = new KafkaProducerConnection(options.kafka, kafkaProducerConfig);
  }

  async write(record: ConsumedRecord, reason: string): Promise<void> {
    try {
      const producer = await this.connection.get();
      await producer.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic: this.options.topic,
            messages: [
              { key: record.key, value: record.value, headers: deadLetterHeaders(record, reason) },
            ],
          },
        ],
      });
    } catch (error) {
      // A fresh producer next time (see KafkaProducerConnection.reset).
      this.connection.reset();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
