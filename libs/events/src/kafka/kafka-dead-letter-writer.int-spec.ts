import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConsumedRecord } from '../event-ports';
import { recordingLogger } from '../event-fixtures.test-support';
import { createKafkaDeadLetterWriter } from './kafka-factory';
import { kafkaBrokers, readTopics, requireKafka, uniqueName } from './kafka-int.test-support';
import { ensureTopics } from './kafka-topics';

describe('KafkaDeadLetterWriter against a real broker', () => {
  const topic = uniqueName('aigw-int-dlq');
  const { logger } = recordingLogger();
  const writer = createKafkaDeadLetterWriter({
    brokers: kafkaBrokers,
    clientId: 'aigw-int-test',
    topic,
    logger,
  });

  beforeEach(async () => {
    await requireKafka();
    await ensureTopics(
      kafkaBrokers,
      'aigw-int-test',
      [{ name: topic, partitions: 1, retentionMs: 3_600_000 }],
      { logger },
    );
  });

  afterAll(() => writer.close());

  it('keeps key and value and says why and where from in headers', async () => {
    const record: ConsumedRecord = {
      topic: 'aigw.lifecycle.v1',
      partition: 4,
      offset: '1234',
      key: 'req-bad',
      value: Buffer.from('{"not":"an envelope"}'),
    };
    await writer.write(record, 'eventId: Invalid UUID');

    const [message] = await readTopics([topic], (read) => read.length >= 1, { settleMs: 500 });
    expect(message).toMatchObject({ key: 'req-bad', value: record.value });
    expect(message!.headers).toMatchObject({
      dlq_reason: 'eventId: Invalid UUID',
      source_topic: 'aigw.lifecycle.v1',
      source_partition: '4',
      source_offset: '1234',
    });
  });
});
