import { type Logger, createLogger } from '@aigw/core';
import { Topics } from '../topics';
import { createKafkaClient } from './kafka-client';
import { KafkaDeadLetterWriter } from './kafka-dead-letter-writer';
import { KafkaEventPublisher, type KafkaEventPublisherOptions } from './kafka-event-publisher';
import { KafkaEventSubscriber, type KafkaEventSubscriberOptions } from './kafka-event-subscriber';

/** Options of {@link createKafkaEventPublisher}: where Kafka is, where to spool, and tuning. */
export interface CreateKafkaEventPublisherOptions extends Omit<
  KafkaEventPublisherOptions,
  'kafka' | 'logger'
> {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly spoolDir: string;
  readonly logger?: Logger;
}

/** Options of {@link createKafkaDeadLetterWriter}. */
export interface CreateKafkaDeadLetterWriterOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Default `Topics.deadLetter.name`. */
  readonly topic?: string;
  readonly logger?: Logger;
}

/** Options of {@link createKafkaEventSubscriber}. */
export type CreateKafkaEventSubscriberOptions = KafkaEventSubscriberOptions;

/**
 * The cluster-mode publisher: kafkajs (logging through our logger at warn+) behind a batching,
 * spooling {@link KafkaEventPublisher}. Returns at once; connecting happens in the background.
 */
export function createKafkaEventPublisher(
  options: CreateKafkaEventPublisherOptions,
): KafkaEventPublisher {
  const { brokers, clientId, logger: given, ...publisherOptions } = options;
  const logger = given ?? createLogger({ component: 'kafka-event-publisher' });
  const kafka = createKafkaClient({
    brokers,
    clientId,
    logger,
    // Give up on an unreachable broker within about a second: the spool takes over, and its
    // replay loop keeps trying with its own backoff.
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  return new KafkaEventPublisher({ ...publisherOptions, kafka, logger });
}

/** The cluster-mode subscriber: a consumer group that commits only after the handler resolved. */
export function createKafkaEventSubscriber(
  options: CreateKafkaEventSubscriberOptions,
): KafkaEventSubscriber {
  return new KafkaEventSubscriber(options);
}

/** Writes undecodable records to the dead-letter topic; `write` resolves once Kafka acked. */
export function createKafkaDeadLetterWriter(
  options: CreateKafkaDeadLetterWriterOptions,
): KafkaDeadLetterWriter {
  const logger = options.logger ?? createLogger({ component: 'kafka-dead-letter-writer' });
  return new KafkaDeadLetterWriter({
    kafka: createKafkaClient({ brokers: options.brokers, clientId: options.clientId, logger }),
    topic: options.topic ?? Topics.deadLetter.name,
  });
}
