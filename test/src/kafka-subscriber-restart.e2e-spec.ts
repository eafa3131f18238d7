import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger } from '@aigw/core';
import { type ConsumedRecord, KafkaEventSubscriber } from '@aigw/events';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/child-process';
import { PrivateKafka } from './support/private-kafka';

/** A logger that keeps every message, so the test can see what the consumer went through. */
function recordingLogger(messages: string[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: (message) => void messages.push(message),
    warn: (message) => void messages.push(message),
    error: (message) => void messages.push(message),
    child: () => logger,
  };
  return logger;
}

/**
 * kafkajs gives up on a consumer for good after errors it deems fatal, such as finding no broker
 * at all. A subscriber (the analytics sink's) must outlive any broker outage and consume what is
 * produced once the broker is back.
 */
describe('Kafka subscriber across a broker outage (private broker)', () => {
  const topic = 'aigw.restart-test.v1';
  let dir: string;
  let kafka: PrivateKafka;
  let producer: Producer | undefined;
  let subscriber: KafkaEventSubscriber | undefined;
  const messages: string[] = [];
  const received: ConsumedRecord[] = [];

  const connectProducer = async (): Promise<Producer> => {
    const next = new Kafka({
      brokers: [kafka.brokers],
      clientId: 'restart-test',
      logLevel: logLevel.NOTHING,
    }).producer();
    await next.connect();
    return next;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-subscriber-restart-'));
    kafka = await PrivateKafka.start(join(dir, 'kafka'));
    const admin = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await subscriber?.stop().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await kafka?.down(true).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('consumes again once the broker is back, after it died while the consumer joined', async () => {
    subscriber = new KafkaEventSubscriber({
      brokers: [kafka.brokers],
      clientId: 'restart-test',
      groupId: 'restart-test',
      topics: [topic],
      logger: recordingLogger(messages),
      retryBackoff: { initialMs: 200, maxMs: 2_000 },
    });
    // A fresh broker is still loading its group coordinator: the consumer waits for it.
    const running = subscriber.run((records) => {
      received.push(...records);
      return Promise.resolve();
    });
    await eventually(
      'the consumer to wait for the group coordinator',
      () =>
        Promise.resolve(
          messages.some((message) => message.includes('GroupCoordinator')) ? true : undefined,
        ),
      60_000,
      50,
    );
    // The broker dies then: kafkajs finds no coordinator and stops this consumer for good.
    await kafka.down(true);
    await running;
    await eventually(
      'the crashed consumer to be replaced',
      () =>
        Promise.resolve(
          messages.some((message) => message.includes('stopped after an error')) ? true : undefined,
        ),
      60_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; logged: ${messages.slice(-20).join(' | ')}`);
    });
    await kafka.up();

    producer = await connectProducer();
    await producer.send({ topic, messages: [{ key: 'a', value: 'after the outage' }], acks: -1 });
    await eventually(
      'the record produced after the outage',
      () => Promise.resolve(received.length > 0 ? true : undefined),
      120_000,
      500,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; logged: ${messages.slice(-20).join(' | ')}`);
    });
    expect(received.map((record) => record.value.toString('utf8'))).toEqual(['after the outage']);
  }, 300_000);
});
