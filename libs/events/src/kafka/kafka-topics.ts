import { type Logger, createLogger } from '@aigw/core';
import { type TopicSpec, allTopics } from '../topics';
import { createKafkaClient } from './kafka-client';

/** Options of {@link ensureTopics}. */
export interface EnsureTopicsOptions {
  /** Replicas per partition: 1 for a single local broker (default), 3 for a real cluster. */
  readonly replicationFactor?: number;
  readonly logger?: Logger;
}

/**
 * Creates the topics in `specs` that do not exist yet, with their partition count and
 * `retention.ms`, and waits for their leaders. Existing topics are left as they are (never
 * altered or shrunk). Resolves to the names it created.
 */
export async function ensureTopics(
  brokers: readonly string[],
  clientId: string,
  specs: readonly TopicSpec[] = allTopics,
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const logger = options.logger ?? createLogger({ component: 'kafka-topics' });
  const admin = createKafkaClient({ brokers, clientId, logger }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: options.replicationFactor ?? 1,
        configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
      })),
    });
    const created = missing.map((spec) => spec.name);
    logger.info('created Kafka topics', { topics: created });
    return created;
  } finally {
    await admin.disconnect();
  }
}
