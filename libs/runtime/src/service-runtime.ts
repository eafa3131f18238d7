import { join } from 'node:path';
import { type ConfigSource, FileConfigSource } from '@aigw/config';
import { createLogger, type Logger } from '@aigw/core';
import {
  createKafkaEventPublisher,
  ensureTopics,
  type EventPublisher,
  observeGauge,
  serviceInstance,
  withEventMetrics,
} from '@aigw/events';
import { initTelemetry, type Telemetry } from '@aigw/telemetry';
import { watchConfigWithAudit } from './config-change-audit';

/** What a service process gets from its host: config, logger and the event log. */
export interface ServiceRuntime {
  readonly service: string;
  readonly logger: Logger;
  readonly config: ConfigSource;
  readonly events: EventPublisher;
  /** OpenTelemetry of this process; shut down last so the final spans leave. */
  readonly telemetry: Telemetry;
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
  const telemetry = initTelemetry({ service: `aigw-${service}`, instance: serviceInstance });
  const logger = createLogger({ service });
  // Reloaded when the file changes; a bad file is rejected and the old config keeps serving.
  const source = new FileConfigSource(configPathFromEnv(), { logger });
  const compiled = source.current();
  const kafka = compiled.raw.runtime.kafka;
  if (!kafka) {
    throw new Error('cluster mode needs runtime.kafka.brokers in the config');
  }
  // Create the topics with their partitions and retention before anything auto-creates them
  // with broker defaults; in the background, since publishing spools until Kafka answers.
  ensureTopics(kafka.brokers, `${kafka.client_id}-${service}-admin`, undefined, { logger }).catch(
    (error: unknown) => logger.warn('could not ensure Kafka topics yet', { error }),
  );
  const publisher = createKafkaEventPublisher({
    brokers: kafka.brokers,
    clientId: `${kafka.client_id}-${service}`,
    spoolDir: join(compiled.raw.runtime.data_dir, 'spool', service),
    logger,
  });
  observeGauge('aigw.events.spooled', 'Events waiting in the local spool for Kafka', () =>
    publisher.spooledCount(),
  );
  const events = withEventMetrics(publisher);
  watchConfigWithAudit(source, events, service);
  return { service, logger, config: source, events, telemetry };
}
