import { type Logger } from '@aigw/core';
import { createKafkaClient } from '@aigw/events';
import { type Admin } from 'kafkajs';
import { type PartitionLag } from './sink-metrics';

/** Options of {@link KafkaConsumerLag}. */
export interface KafkaConsumerLagOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly logger: Logger;
}

/**
 * Measures the sink group's lag per partition: the log end offset minus the committed offset
 * (a partition the group never committed counts from the log start).
 */
export class KafkaConsumerLag {
  private readonly admin: Admin;
  private connected = false;

  constructor(private readonly options: KafkaConsumerLagOptions) {
    this.admin = createKafkaClient({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: options.logger,
    }).admin();
  }

  async measure(): Promise<PartitionLag[]> {
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    const committed = await this.admin.fetchOffsets({
      groupId: this.options.groupId,
      topics: [...this.options.topics],
    });
    const lag: PartitionLag[] = [];
    for (const topic of committed) {
      const ends = await this.admin.fetchTopicOffsets(topic.topic);
      for (const end of ends) {
        const done = topic.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const from = BigInt(done) >= 0n ? BigInt(done) : BigInt(end.low);
        const behind = BigInt(end.high) - from;
        lag.push({
          topic: topic.topic,
          partition: end.partition,
          lag: Number(behind > 0n ? behind : 0n),
        });
      }
    }
    return lag;
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
    this.connected = false;
  }
}
