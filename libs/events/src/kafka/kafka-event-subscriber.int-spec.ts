import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConsumedRecord } from '../event-ports';
import { eventually, recordingLogger, sampleEnvelope } from '../event-fixtures.test-support';
import { createKafkaEventPublisher, createKafkaEventSubscriber } from './kafka-factory';
import { kafkaBrokers, requireKafka, uniqueName } from './kafka-int.test-support';
import { ensureTopics } from './kafka-topics';

describe('KafkaEventSubscriber against a real broker', () => {
  const topic = uniqueName('aigw-int-sub');
  const groupId = uniqueName('aigw-int-group');
  const spoolDir = mkdtempSync(join(tmpdir(), 'aigw-int-spool-'));
  const { logger, lines } = recordingLogger();
  const admin = new Kafka({ brokers: [...kafkaBrokers], logLevel: logLevel.ERROR }).admin();

  async function publish(from: number, to: number): Promise<void> {
    const publisher = createKafkaEventPublisher({
      brokers: kafkaBrokers,
      clientId: 'aigw-int-test',
      spoolDir,
      logger,
      topicsFor: () => [topic],
    });
    for (let seq = from; seq < to; seq += 1)
      publisher.publish(sampleEnvelope(`req-${seq % 5}`, seq));
    await publisher.close();
    expect(publisher.spooledCount()).toBe(0);
  }

  const subscriber = () =>
    createKafkaEventSubscriber({
      brokers: kafkaBrokers,
      clientId: 'aigw-int-test',
      groupId,
      topics: [topic],
      logger,
      retryBackoff: { initialMs: 50, maxMs: 200 },
    });

  let ready: Promise<void> | undefined;

  async function setUp(): Promise<void> {
    await ensureTopics(
      kafkaBrokers,
      'aigw-int-test',
      [{ name: topic, partitions: 2, retentionMs: 3_600_000 }],
      { logger },
    );
    await admin.connect();
  }

  beforeEach(async () => {
    await requireKafka();
    ready ??= setUp();
    await ready;
  });

  afterAll(async () => {
    rmSync(spoolDir, { recursive: true, force: true });
    if (!ready) return;
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('redelivers a batch whose handler threw, commits after success, and resumes there', async () => {
    await publish(0, 40);

    const first = subscriber();
    const calls: ConsumedRecord[][] = [];
    await first.run(async (records) => {
      calls.push([...records]);
      if (calls.length === 1) throw new Error('handler failed on purpose');
    });
    const handled = (): Set<string> =>
      new Set(
        calls
          .slice(1)
          .flat()
          .map((record) => `${record.partition}/${record.offset}`),
      );
    await eventually(() => handled().size === 40, 'all 40 records handled', 60_000);

    const failed = calls[0]!;
    const retried = calls.slice(1).find((batch) => batch[0]!.partition === failed[0]!.partition)!;
    expect(retried[0]!.offset).toBe(failed[0]!.offset);
    expect(retried.slice(0, failed.length)).toEqual(failed);
    expect(lines.some((line) => line.message.includes('delivered again'))).toBe(true);
    await first.stop();

    // Committed = end of each partition: nothing is left for the group.
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    for (const { partition, high } of ends) {
      const offset = committed[0]!.partitions.find((p) => p.partition === partition)!.offset;
      expect(offset).toBe(high);
    }

    const second = subscriber();
    const later: ConsumedRecord[] = [];
    await second.run(async (records) => {
      later.push(...records);
    });
    await new Promise((wait) => setTimeout(wait, 3_000));
    expect(later).toEqual([]);
    await publish(40, 41);
    await eventually(() => later.length >= 1, 'the one new record', 30_000);
    await new Promise((wait) => setTimeout(wait, 500));
    expect(later).toHaveLength(1);
    await second.stop();
  });
});
