import { join } from 'node:path';
import { type ConfigSource, loadConfigFile, StaticConfigSource } from '@aigw/config';
import { createLogger, type Logger } from '@aigw/core';
import { createKafkaEventPublisher, ensureTopics, type EventPublisher } from '@aigw/events';

/** What a service process gets from its host: config, logger and the event log. */
export interface ServiceRuntime {
  readonly service: string;
  readonly logger: Logger;
  readonly config: ConfigSource;
  readonly events: EventPublisher;
}

/** Reads the config named by AIGW_CONFIG (default ./aigw.yaml). */
export function configPathFromEnv(): string {
  return process.env['AIGW_CONFIG'] ?? 'aigw.yaml';
}

/**
 * The runtime of one service process in cluster mode: events go to Kafka (runtime.kafka must be
 * set), spooling to `<data_dir>/spool/<service>` while Kafka is unreachable.
 */
export function createClusterRuntime(service: string): ServiceRuntime {
  const logger = createLogger({ service });
  const compiled = loadConfigFile(configPathFromEnv());
  const kafka = compiled.raw.runtime.kafka;
  if (!kafka) {
    throw new Error('cluster mode needs runtime.kafka.brokers in the config');
  }
  // Create the topics with their partitions and retention before anything auto-creates them
  // with broker defaults; in the background, since publishing spools until Kafka answers.
  ensureTopics(kafka.brokers, `${kafka.client_id}-${service}-admin`, undefined, { logger }).catch(
    (error: unknown) => logger.warn('could not ensure Kafka topics yet', { error }),
  );
  const events = createKafkaEventPublisher({
    brokers: kafka.brokers,
    clientId: `${kafka.client_id}-${service}`,
    spoolDir: join(compiled.raw.runtime.data_dir, 'spool', service),
    logger,
  });
  return { service, logger, config: new StaticConfigSource(compiled), events };
}
