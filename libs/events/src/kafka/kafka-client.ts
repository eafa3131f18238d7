import { type Logger } from '@aigw/core';
import { Kafka, type RetryOptions, logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-log-creator';

/** How to reach the Kafka cluster. */
export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** Retries of connects and metadata calls (kafkajs defaults when omitted). */
  readonly retry?: RetryOptions;
}

/** A kafkajs client whose own logging goes through our logger, warnings and errors only. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    brokers: [...options.brokers],
    clientId: options.clientId,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(options.logger),
    ...(options.retry ? { retry: options.retry } : {}),
  });
}
