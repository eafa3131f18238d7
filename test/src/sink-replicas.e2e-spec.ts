import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbAnalyticsStore } from '@aigw/analytics';
import { SinkWorker } from '@aigw/analytics-sink';
import { createLogger } from '@aigw/core';
import { createKafkaEventSubscriber } from '@aigw/events';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/child-process';
import { assertKafkaReachable, kafkaBrokers } from './support/kafka-reader';
import { produce } from './support/sink-events';

const requests = 2000;

/**
 * Two analytics-sink workers in one consumer group, as two sink replicas are: Kafka splits the
 * partitions between them, each stores its share, and every event and request lands exactly
 * once. (One process, so both write into the same embedded ClickHouse, as replicas would into
 * one ClickHouse server.)
 */
describe('analytics-sink replicas share partitions (real Kafka, chDB)', () => {
  const run = Date.now().toString(36);
  const topic = `aigw.sink-replicas.${run}`;
  const groupId = `aigw-sink-replicas-${run}`;
  let dir: string;
  let admin: Admin;
  let producer: Producer;
  let store: ChdbAnalyticsStore;
  const workers: SinkWorker[] = [];
  const batches = [0, 0];

  beforeAll(async () => {
    await assertKafkaReachable();
    const kafka = new Kafka({
      brokers: kafkaBrokers,
      clientId: groupId,
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
    producer = kafka.producer();
    await producer.connect();
    dir = mkdtempSync(join(tmpdir(), 'aigw-sink-replicas-'));
    store = await ChdbAnalyticsStore.open(join(dir, 'chdb'));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('splits the partitions between two workers and stores every request exactly once', async () => {
    for (const replica of [0, 1]) {
      const logger = createLogger({ service: `sink-replica-${replica}` });
      const worker = new SinkWorker(
        store,
        createKafkaEventSubscriber({
          brokers: kafkaBrokers,
          clientId: `${groupId}-${replica}`,
          groupId,
          topics: [topic],
          logger,
        }),
        async () => undefined,
        logger,
        { afterBatchStored: (count) => (batches[replica] = count) },
      );
      // One after the other: the second finds the migrations applied.
      await worker.start();
      workers.push(worker);
    }
    await eventually(
      'both workers to hold partitions of the group',
      async () => {
        const [group] = (await admin.describeGroups([groupId])).groups;
        return group?.state === 'Stable' && group.members.length === 2 ? true : undefined;
      },
      60_000,
      250,
    );

    await produce(producer, `replicas-${run}`, 0, requests, () => [topic]);
    const counts = await eventually(
      'every request stored',
      async () => {
        const [row] = await store.query<Record<string, number>>(
          `SELECT
             (SELECT toUInt32(count()) FROM requests WHERE startsWith(request_id, {p:String})) AS requests,
             (SELECT toUInt32(count()) FROM events WHERE startsWith(request_id, {p:String})) AS events`,
          { p: `replicas-${run}-` },
        );
        return row && row['requests']! >= requests && row['events']! >= requests * 3
          ? row
          : undefined;
      },
      120_000,
      500,
    );
    // Without FINAL: no copies to collapse, each row was written once.
    expect(counts).toEqual({ requests, events: requests * 3 });
    expect(batches[0], 'batches stored by worker 0').toBeGreaterThan(0);
    expect(batches[1], 'batches stored by worker 1').toBeGreaterThan(0);
  }, 240_000);
});
