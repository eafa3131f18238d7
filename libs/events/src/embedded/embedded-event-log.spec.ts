import { PolicyDecided } from '@aigw/contracts';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../envelope-codec';
import { type ConsumedRecord, type EventSubscriber } from '../event-ports';
import { eventually, recordingLogger, sampleEnvelope } from '../event-fixtures.test-support';
import { EventsError } from '../events-error';
import { Topics } from '../topics';
import { EmbeddedEventLog, type EmbeddedEventLogOptions } from './embedded-event-log';

const lifecycle = Topics.lifecycle.name;

/** Runs a subscriber that records every batch it is handed (and may fail some). */
async function collect(
  subscriber: EventSubscriber,
  fail: (call: number) => boolean = () => false,
): Promise<{ batches: ConsumedRecord[][]; records: () => ConsumedRecord[] }> {
  const batches: ConsumedRecord[][] = [];
  let calls = 0;
  await subscriber.run(async (records) => {
    calls += 1;
    batches.push([...records]);
    if (fail(calls)) throw new Error('handler failed on purpose');
  });
  return { batches, records: () => batches.flat() };
}

function seqOf(record: ConsumedRecord): number {
  const decoded = decodeEnvelope(record.value);
  if (!decoded.ok) throw new Error(decoded.reason);
  return Number(decoded.envelope.tags['seq']);
}

describe('EmbeddedEventLog', () => {
  let dataDir: string;
  const logs: EmbeddedEventLog[] = [];
  const { logger, lines } = recordingLogger();

  function openLog(options: Partial<EmbeddedEventLogOptions> = {}): EmbeddedEventLog {
    const log = new EmbeddedEventLog({
      dataDir,
      logger,
      retryBackoff: { initialMs: 5, maxMs: 20 },
      ...options,
    });
    logs.push(log);
    return log;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aigw-embedded-log-'));
    lines.length = 0;
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with a write delay, writes the events of that delay together; flush writes at once', async () => {
    const log = openLog({ writeDelayMs: 200 });
    const publisher = log.publisher();
    const topicBytes = (): number =>
      readdirSync(join(dataDir, lifecycle)).reduce(
        (total, name) => total + readFileSync(join(dataDir, lifecycle, name)).length,
        0,
      );
    publisher.publish(sampleEnvelope('req-a', 0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    publisher.publish(sampleEnvelope('req-b', 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Neither is on disk yet: both wait for the one delayed write.
    expect(topicBytes()).toBe(0);
    await eventually(() => topicBytes() > 0, 'the delayed write');
    expect(
      readFileSync(join(dataDir, lifecycle, readdirSync(join(dataDir, lifecycle))[0]!), 'utf8')
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(2);

    publisher.publish(sampleEnvelope('req-c', 2));
    const before = topicBytes();
    await publisher.flush();
    expect(topicBytes()).toBeGreaterThan(before);
  });

  it('delivers published events in order, in batches of at most 1000, decodable', async () => {
    const log = openLog();
    const publisher = log.publisher();
    for (let seq = 0; seq < 2500; seq += 1)
      publisher.publish(sampleEnvelope(`req-${seq % 7}`, seq));
    await publisher.flush();

    const { batches, records } = await collect(log.subscriber(lifecycle, 'sink'));
    await eventually(() => records().length >= 2500, '2500 records');

    expect(records().map(seqOf)).toEqual([...Array(2500).keys()]);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(1000);
    expect(records()[3]).toMatchObject({ topic: lifecycle, partition: 0, key: 'req-3' });
    const offsets = records().map((record) => Number(record.offset));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(2500);
  });

  it('follows new appends as they are written', async () => {
    const log = openLog();
    const { records } = await collect(log.subscriber(lifecycle, 'live'));
    const publisher = log.publisher();
    publisher.publish(sampleEnvelope('req-a', 1));
    await eventually(() => records().length === 1, 'the first event');
    publisher.publish(sampleEnvelope('req-a', 2));
    publisher.publish(sampleEnvelope('req-b', 3));
    await eventually(() => records().length === 3, 'two more events', 1_000);
    expect(records().map(seqOf)).toEqual([1, 2, 3]);
  });

  it('routes audit-worthy events to the audit topic as well', async () => {
    const log = openLog();
    const publisher = log.publisher();
    const denied = {
      ...sampleEnvelope('req-denied', 1),
      type: 'policy.decided',
      payload: {
        $case: 'policyDecided' as const,
        value: PolicyDecided.fromPartial({
          decision: 'denied',
          reason: 'no access',
          targets: [],
          latencyMs: 0.1,
        }),
      },
    };
    publisher.publish(denied);
    publisher.publish(sampleEnvelope('req-ok', 2));
    await publisher.flush();
    expect(log.endOffset(Topics.audit.name)).not.toBe('0');
    const { records } = await collect(log.subscriber(Topics.audit.name, 'auditor'));
    await eventually(() => records().length === 1, 'the audit event');
    expect(records()[0]!.key).toBe('req-denied');
  });

  it('resumes after a restart where the group left off, without duplicates', async () => {
    const first = openLog();
    const publisher = first.publisher();
    for (let seq = 0; seq < 10; seq += 1) publisher.publish(sampleEnvelope('req-r', seq));
    await publisher.flush();
    const subscriber = first.subscriber(lifecycle, 'sink');
    const before = await collect(subscriber);
    await eventually(() => before.records().length === 10, 'the first ten');
    await subscriber.stop();
    await first.close();

    const second = openLog();
    const again = second.publisher();
    for (let seq = 10; seq < 15; seq += 1) again.publish(sampleEnvelope('req-r', seq));
    await again.flush();
    const after = await collect(second.subscriber(lifecycle, 'sink'));
    const fresh = await collect(second.subscriber(lifecycle, 'another-group'));
    await eventually(() => fresh.records().length === 15, 'all fifteen for a new group');
    await eventually(() => after.records().length >= 5, 'the five new ones');
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(after.records().map(seqOf)).toEqual([10, 11, 12, 13, 14]);
    expect(fresh.records().map(seqOf)).toEqual([...Array(15).keys()]);
  });

  it('delivers the same batch again when the handler throws, then commits it', async () => {
    const log = openLog();
    const publisher = log.publisher();
    for (let seq = 0; seq < 4; seq += 1) publisher.publish(sampleEnvelope('req-f', seq));
    await publisher.flush();

    const subscriber = log.subscriber(lifecycle, 'flaky');
    const { batches } = await collect(subscriber, (call) => call <= 2);
    await eventually(() => batches.length === 3, 'two failures and a success');
    expect(batches[1]).toEqual(batches[0]);
    expect(batches[2]).toEqual(batches[0]);
    expect(lines.some((line) => line.message.includes('delivered again'))).toBe(true);
    await subscriber.stop();

    const later = await collect(log.subscriber(lifecycle, 'flaky'));
    publisher.publish(sampleEnvelope('req-f', 4));
    await eventually(() => later.records().length >= 1, 'the next event');
    expect(later.records().map(seqOf)).toEqual([4]);
  });

  it('ignores a line torn by a crash and appends cleanly after it', async () => {
    const first = openLog();
    const publisher = first.publisher();
    for (let seq = 0; seq < 3; seq += 1) publisher.publish(sampleEnvelope('req-t', seq));
    await first.close();
    const topicDir = join(dataDir, lifecycle);
    const segment = join(
      topicDir,
      readdirSync(topicDir).find((name) => name.endsWith('.jsonl'))!,
    );
    appendFileSync(segment, '{"k":"req-t","v":"{\\"eventId\\":\\"01');

    const second = openLog();
    const { records } = await collect(second.subscriber(lifecycle, 'sink'));
    await eventually(() => records().length === 3, 'the three complete events');
    second.publisher().publish(sampleEnvelope('req-t', 3));
    await eventually(() => records().length === 4, 'the event after the torn line');

    expect(records().map(seqOf)).toEqual([0, 1, 2, 3]);
    expect(lines.some((line) => line.message.includes('torn'))).toBe(true);
    const content = readFileSync(segment, 'utf8');
    expect(
      content
        .split('\n')
        .filter(Boolean)
        .every((line) => JSON.parse(line) !== null),
    ).toBe(true);
  });

  it('starts a new segment file when one is full and reads across them', async () => {
    const log = openLog({ segmentBytes: 4096 });
    const publisher = log.publisher();
    for (let seq = 0; seq < 40; seq += 1) {
      publisher.publish(sampleEnvelope('req-s', seq));
      await publisher.flush();
    }
    expect(
      readdirSync(join(dataDir, lifecycle)).filter((n) => n.endsWith('.jsonl')).length,
    ).toBeGreaterThan(1);
    const { records } = await collect(log.subscriber(lifecycle, 'sink'));
    await eventually(() => records().length === 40, 'forty events');
    expect(records().map(seqOf)).toEqual([...Array(40).keys()]);
  });

  it('writes dead letters with their original key and value, durably', async () => {
    const log = openLog();
    const writer = log.deadLetterWriter();
    const record: ConsumedRecord = {
      topic: lifecycle,
      partition: 0,
      offset: '120',
      key: 'req-bad',
      value: Buffer.from('not json'),
    };
    await writer.write(record, 'not JSON');
    expect(
      readFileSync(
        join(
          dataDir,
          Topics.deadLetter.name,
          readdirSync(join(dataDir, Topics.deadLetter.name)).find((n) => n.endsWith('.jsonl'))!,
        ),
        'utf8',
      ),
    ).toContain('"dlq_reason":"not JSON"');
    const { records } = await collect(log.subscriber(Topics.deadLetter.name, 'inspector'));
    await eventually(() => records().length === 1, 'the dead letter');
    expect(records()[0]).toMatchObject({ key: 'req-bad', value: Buffer.from('not json') });
  });

  it('refuses a second running subscriber of a group and bad topic names', async () => {
    const log = openLog();
    log.subscriber(lifecycle, 'solo');
    expect(() => log.subscriber(lifecycle, 'solo')).toThrow(EventsError);
    expect(() => log.subscriber('../escape', 'solo')).toThrow(EventsError);
  });
});
