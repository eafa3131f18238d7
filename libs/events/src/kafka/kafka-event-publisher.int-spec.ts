import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Envelope, PolicyDecided } from '@aigw/contracts';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../envelope-codec';
import { recordingLogger, sampleEnvelope } from '../event-fixtures.test-support';
import { Topics } from '../topics';
import { createKafkaEventPublisher } from './kafka-factory';
import {
  type ReadMessage,
  kafkaBrokers,
  readTopics,
  requireKafka,
  uniqueName,
} from './kafka-int.test-support';
import { ensureTopics } from './kafka-topics';

function denied(requestId: string, seq: number): Envelope {
  return {
    ...sampleEnvelope(requestId, seq),
    type: 'policy.decided',
    payload: {
      $case: 'policyDecided',
      value: PolicyDecided.fromPartial({
        decision: 'denied',
        reason: 'not allowed',
        targets: [],
        latencyMs: 0.2,
      }),
    },
  };
}

describe('KafkaEventPublisher against a real broker', () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'aigw-int-spool-'));
  const { logger } = recordingLogger();

  let topicsReady: Promise<unknown> | undefined;

  beforeEach(async () => {
    await requireKafka();
    topicsReady ??= ensureTopics(kafkaBrokers, 'aigw-int-test', undefined, { logger });
    await topicsReady;
  });

  afterAll(() => rmSync(spoolDir, { recursive: true, force: true }));

  it('delivers every event once to the topics of record, keyed by request id', async () => {
    const run = uniqueName('pub');
    const publisher = createKafkaEventPublisher({
      brokers: kafkaBrokers,
      clientId: 'aigw-int-test',
      spoolDir,
      logger,
    });
    const published: Envelope[] = [];
    for (let seq = 0; seq < 300; seq += 1)
      published.push(sampleEnvelope(`${run}-r${seq % 30}`, seq));
    for (let seq = 300; seq < 320; seq += 1) published.push(denied(`${run}-r${seq % 30}`, seq));
    const started = performance.now();
    for (const envelope of published) publisher.publish(envelope);
    expect(performance.now() - started).toBeLessThan(200);
    await publisher.flush();
    expect(publisher.spooledCount()).toBe(0);
    await publisher.close();

    const ours = (message: ReadMessage): boolean => message.key?.startsWith(run) ?? false;
    const messages = await readTopics(
      [Topics.lifecycle.name, Topics.audit.name],
      (read) => read.length >= 340,
      { accept: ours },
    );
    const lifecycle = messages.filter((message) => message.topic === Topics.lifecycle.name);
    const audit = messages.filter((message) => message.topic === Topics.audit.name);
    expect(lifecycle).toHaveLength(320);
    expect(audit).toHaveLength(20);

    const byId = new Map(published.map((envelope) => [envelope.eventId, envelope]));
    const partitionOfKey = new Map<string, number>();
    for (const message of lifecycle) {
      const decoded = decodeEnvelope(message.value);
      if (!decoded.ok) throw new Error(decoded.reason);
      const sent = byId.get(decoded.envelope.eventId)!;
      expect(decoded.envelope).toEqual(sent);
      expect(message.key).toBe(sent.requestId);
      expect(message.traceId).toBe(sent.traceId);
      // One request's events share a partition, so they stay in order.
      expect(partitionOfKey.get(message.key!) ?? message.partition).toBe(message.partition);
      partitionOfKey.set(message.key!, message.partition);
    }
    expect(
      new Set(
        lifecycle
          .map((message) => decodeEnvelope(message.value))
          .map((d) => d.ok && d.envelope.eventId),
      ).size,
    ).toBe(320);
  });

  it('creates missing topics with their partitions and retention, and leaves existing ones', async () => {
    const spec = { name: uniqueName('aigw-int-topic'), partitions: 4, retentionMs: 3_600_000 };
    expect(await ensureTopics(kafkaBrokers, 'aigw-int-test', [spec], { logger })).toEqual([
      spec.name,
    ]);
    expect(await ensureTopics(kafkaBrokers, 'aigw-int-test', [spec], { logger })).toEqual([]);

    const admin = new Kafka({ brokers: [...kafkaBrokers], logLevel: logLevel.ERROR }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [spec.name] });
      expect(metadata.topics[0]!.partitions).toHaveLength(4);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: spec.name, configNames: ['retention.ms'] },
        ],
      });
      expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('3600000');
    } finally {
      await admin.deleteTopics({ topics: [spec.name] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
