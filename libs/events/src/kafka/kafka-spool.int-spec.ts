import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../envelope-codec';
import { eventually, recordingLogger, sampleEnvelope } from '../event-fixtures.test-support';
import { createKafkaEventPublisher } from './kafka-factory';
import { type KafkaEventPublisher } from './kafka-event-publisher';
import {
  type ReadMessage,
  brokerPortOpen,
  kafkaBrokers,
  readTopics,
  requireKafka,
  runLocalScript,
  uniqueName,
} from './kafka-int.test-support';
import { ensureTopics } from './kafka-topics';

const keys = 10;

/** Stops the broker with deploy/local/stop-kafka.sh and proves it is gone. */
async function stopBroker(): Promise<void> {
  runLocalScript('stop-kafka.sh');
  if (await brokerPortOpen()) {
    throw new Error(
      `the broker at ${kafkaBrokers[0]} still answers after deploy/local/stop-kafka.sh: ` +
        'the spool tests need a broker started by deploy/local/start-kafka.sh',
    );
  }
}

/** Every event exactly once, and per key in publish order. */
function expectExactlyOnceInOrder(messages: readonly ReadMessage[], count: number): void {
  const seqs = messages.map((message) => {
    const decoded = decodeEnvelope(message.value);
    if (!decoded.ok) throw new Error(decoded.reason);
    return {
      key: message.key!,
      partition: message.partition,
      offset: BigInt(message.offset),
      seq: Number(decoded.envelope.tags['seq']),
    };
  });
  expect(seqs.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual([...Array(count).keys()]);
  for (let key = 0; key < keys; key += 1) {
    const ofKey = seqs
      .filter((entry) => entry.key === `req-${key}`)
      .sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
    expect(new Set(ofKey.map((entry) => entry.partition)).size).toBe(1);
    const inLogOrder = ofKey.map((entry) => entry.seq);
    expect(inLogOrder).toEqual([...inLogOrder].sort((a, b) => a - b));
  }
}

describe('KafkaEventPublisher spool against a real broker that stops and starts', () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'aigw-int-spool-'));
  const { logger } = recordingLogger();
  let publisher: KafkaEventPublisher | undefined;

  function createPublisher(topic: string): KafkaEventPublisher {
    publisher = createKafkaEventPublisher({
      brokers: kafkaBrokers,
      clientId: 'aigw-int-spool',
      spoolDir,
      logger,
      topicsFor: () => [topic],
      replayBackoff: { initialMs: 200, maxMs: 2_000 },
    });
    return publisher;
  }

  function publishRange(target: KafkaEventPublisher, from: number, to: number): number {
    const started = performance.now();
    for (let seq = from; seq < to; seq += 1)
      target.publish(sampleEnvelope(`req-${seq % keys}`, seq));
    return performance.now() - started;
  }

  async function newTopic(): Promise<string> {
    const topic = uniqueName('aigw-int-spool');
    await ensureTopics(
      kafkaBrokers,
      'aigw-int-spool',
      [{ name: topic, partitions: 3, retentionMs: 3_600_000 }],
      { logger },
    );
    return topic;
  }

  let started = false;

  beforeEach(async () => {
    await requireKafka();
    started = true;
  });

  afterAll(async () => {
    await publisher?.close();
    // Leave the broker running, as it was when the tests started.
    if (started && !(await brokerPortOpen())) runLocalScript('start-kafka.sh');
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it(
    'spools while the broker is down from the start, then delivers everything once, in order',
    { timeout: 240_000 },
    async () => {
      const topic = await newTopic();
      await stopBroker();

      const target = createPublisher(topic);
      expect(publishRange(target, 0, 200)).toBeLessThan(100);
      const flushStarted = performance.now();
      await target.flush();
      expect(performance.now() - flushStarted).toBeLessThan(20_000);
      expect(target.spooledCount()).toBe(200);
      expect(readdirSync(spoolDir).some((name) => name.endsWith('.jsonl'))).toBe(true);

      runLocalScript('start-kafka.sh');
      await eventually(() => target.spooledCount() === 0, 'the spool to drain', 120_000);
      expect(readdirSync(spoolDir).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
      await target.close();

      const messages = await readTopics([topic], (read) => read.length >= 200);
      expect(messages).toHaveLength(200);
      expectExactlyOnceInOrder(messages, 200);
    },
  );

  it(
    'switches to the spool when the broker stops mid-stream and back when it returns',
    { timeout: 240_000 },
    async () => {
      const topic = await newTopic();
      const target = createPublisher(topic);
      publishRange(target, 0, 100);
      await target.flush();
      expect(target.spooledCount()).toBe(0);

      await stopBroker();
      expect(publishRange(target, 100, 200)).toBeLessThan(100);
      await target.flush();
      expect(target.spooledCount()).toBe(100);

      runLocalScript('start-kafka.sh');
      publishRange(target, 200, 250);
      await eventually(() => target.spooledCount() === 0, 'the spool to drain', 120_000);
      await target.close();

      const messages = await readTopics([topic], (read) => read.length >= 250);
      expect(messages).toHaveLength(250);
      expectExactlyOnceInOrder(messages, 250);
    },
  );
});
