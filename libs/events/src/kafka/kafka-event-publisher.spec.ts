import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProducerBatch, type ProducerConfig } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../envelope-codec';
import { eventually, recordingLogger, sampleEnvelope } from '../event-fixtures.test-support';
import { Topics } from '../topics';
import { KafkaEventPublisher, type KafkaEventPublisherOptions } from './kafka-event-publisher';
import { type BatchProducer, type ProducerSource } from './kafka-producer-connection';

interface SentMessage {
  readonly topic: string;
  readonly key: string;
  readonly seq: number;
  readonly traceId: string;
}

/** A broker in memory that can be taken down, or made to hold one send until released. */
class FakeKafka implements ProducerSource {
  up = true;
  readonly sent: SentMessage[] = [];
  readonly batches: ProducerBatch[] = [];
  readonly configs: ProducerConfig[] = [];
  private holdNextSend = false;
  private held: { promise: Promise<boolean>; release: (fail: boolean) => void } | undefined;

  producer(config: ProducerConfig = {}): BatchProducer {
    this.configs.push(config);
    return {
      connect: async () => {
        if (!this.up) throw new Error('connect ECONNREFUSED');
      },
      disconnect: async () => undefined,
      sendBatch: async (batch) => {
        if (this.holdNextSend) {
          this.holdNextSend = false;
          if (await this.held?.promise) throw new Error('request timed out');
        }
        if (!this.up) throw new Error('broker down');
        this.batches.push(batch);
        for (const { topic, messages } of batch.topicMessages ?? []) {
          for (const message of messages) {
            const decoded = decodeEnvelope(message.value as Buffer);
            if (!decoded.ok) throw new Error(decoded.reason);
            this.sent.push({
              topic,
              key: String(message.key),
              seq: Number(decoded.envelope.tags['seq']),
              traceId: String(message.headers?.['trace_id']),
            });
          }
        }
        return [];
      },
    };
  }

  /** The next send waits until release(); sends after it go through. */
  holdNext(): void {
    let release = (_fail: boolean): void => undefined;
    const promise = new Promise<boolean>((resolve) => (release = resolve));
    this.held = { promise, release };
    this.holdNextSend = true;
  }

  /** Lets the held send finish, or fail as if its request timed out. */
  release(fail = false): void {
    this.held?.release(fail);
    this.held = undefined;
  }

  seqs(): number[] {
    return this.sent.map((message) => message.seq);
  }
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, index) => from + index);

describe('KafkaEventPublisher', () => {
  let spoolDir: string;
  let kafka: FakeKafka;
  const publishers: KafkaEventPublisher[] = [];
  const { logger, lines } = recordingLogger();

  function createPublisher(options: Partial<KafkaEventPublisherOptions> = {}): KafkaEventPublisher {
    const publisher = new KafkaEventPublisher({
      kafka,
      spoolDir,
      logger,
      replayBackoff: { initialMs: 5, maxMs: 20 },
      ...options,
    });
    publishers.push(publisher);
    return publisher;
  }

  const spoolFiles = (): string[] =>
    readdirSync(spoolDir).filter((name) => name.endsWith('.jsonl'));

  beforeEach(() => {
    spoolDir = mkdtempSync(join(tmpdir(), 'aigw-spool-'));
    kafka = new FakeKafka();
    lines.length = 0;
  });

  afterEach(async () => {
    kafka.release();
    kafka.up = true;
    await Promise.all(publishers.splice(0).map((publisher) => publisher.close()));
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('sends batches of at most 500 with key, trace header and acks from all replicas', async () => {
    const publisher = createPublisher();
    for (let seq = 0; seq < 1200; seq += 1)
      publisher.publish(sampleEnvelope(`req-${seq % 9}`, seq));
    await publisher.flush();

    expect(kafka.seqs()).toEqual(range(0, 1200));
    expect(kafka.sent[10]).toEqual({
      topic: Topics.lifecycle.name,
      key: 'req-1',
      seq: 10,
      traceId: 'trace-req-1',
    });
    expect(kafka.batches.every((batch) => batch.acks === -1)).toBe(true);
    const sizes = kafka.batches.map((batch) => batch.topicMessages![0]!.messages.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
    expect(kafka.configs[0]).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
    expect(publisher.spooledCount()).toBe(0);
  });

  it('spools while the broker is down at startup, then replays in order and deletes the files', async () => {
    kafka.up = false;
    const publisher = createPublisher();
    const started = performance.now();
    for (let seq = 0; seq < 100; seq += 1) publisher.publish(sampleEnvelope(`req-${seq % 3}`, seq));
    expect(performance.now() - started).toBeLessThan(100);
    await publisher.flush();

    expect(publisher.spooledCount()).toBe(100);
    expect(spoolFiles().length).toBeGreaterThan(0);
    expect(kafka.sent).toEqual([]);

    kafka.up = true;
    await eventually(() => publisher.spooledCount() === 0, 'the spool to drain');
    expect(kafka.seqs()).toEqual(range(0, 100));
    expect(spoolFiles()).toEqual([]);
  });

  it('keeps publish order when the broker goes away mid-stream and comes back', async () => {
    const publisher = createPublisher();
    for (let seq = 0; seq < 50; seq += 1) publisher.publish(sampleEnvelope('req-x', seq));
    await publisher.flush();
    kafka.up = false;
    for (let seq = 50; seq < 120; seq += 1) publisher.publish(sampleEnvelope('req-x', seq));
    await publisher.flush();
    expect(publisher.spooledCount()).toBe(70);

    kafka.up = true;
    for (let seq = 120; seq < 150; seq += 1) publisher.publish(sampleEnvelope('req-x', seq));
    await eventually(() => kafka.sent.length === 150 && publisher.spooledCount() === 0, 'all 150');
    expect(kafka.seqs()).toEqual(range(0, 150));
    expect(lines.some((line) => line.message.startsWith('Kafka unreachable'))).toBe(true);
  });

  it('spills to the spool instead of growing memory while a send hangs, keeping order', async () => {
    const publisher = createPublisher({ maxQueuedEvents: 100 });
    kafka.holdNext();
    publisher.publish(sampleEnvelope('req-m', 0));
    await eventually(() => kafka.configs.length > 0, 'a producer');
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let seq = 1; seq < 350; seq += 1) publisher.publish(sampleEnvelope('req-m', seq));

    // Written synchronously by publish() itself: nothing needed to run in between.
    expect(publisher.spooledCount()).toBeGreaterThanOrEqual(300);
    // The hanging send fails late, after younger events were spilled: it must still go first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    kafka.release(true);
    await publisher.flush();
    await eventually(() => publisher.spooledCount() === 0, 'the spool to drain');
    expect(kafka.seqs()).toEqual(range(0, 350));
  });

  it('replays what an earlier run left in the spool before anything new', async () => {
    kafka.up = false;
    const first = createPublisher();
    for (let seq = 0; seq < 20; seq += 1) first.publish(sampleEnvelope('req-z', seq));
    await first.close();
    expect(first.spooledCount()).toBe(20);

    kafka.up = true;
    const second = createPublisher();
    for (let seq = 20; seq < 25; seq += 1) second.publish(sampleEnvelope('req-z', seq));
    // The spool is emptied after Kafka acked, a moment after the send itself.
    await eventually(
      () => kafka.sent.length === 25 && second.spooledCount() === 0,
      'all 25, and the spool emptied',
    );
    expect(kafka.seqs()).toEqual(range(0, 25));
  });

  it('replays a spool a crash left behind, ignoring its torn last line', async () => {
    const line = (seq: number): string =>
      JSON.stringify({
        k: 'req-c',
        v: encodeEnvelope(sampleEnvelope('req-c', seq)).toString('utf8'),
        h: 'trace-req-c',
        t: [Topics.lifecycle.name],
      }) + '\n';
    writeFileSync(
      join(spoolDir, '0000000000000007.jsonl'),
      line(0) + line(1) + line(2).slice(0, 60),
    );

    const publisher = createPublisher();
    expect(publisher.spooledCount()).toBe(2);
    publisher.publish(sampleEnvelope('req-c', 3));
    // The spool segment is deleted after Kafka acked it, a moment after the send itself.
    await eventually(
      () => kafka.sent.length === 3 && publisher.spooledCount() === 0 && spoolFiles().length === 0,
      'the two spooled events and a new one, and the spool emptied',
    );
    expect(kafka.seqs()).toEqual([0, 1, 3]);
  });

  it('drops an oversized event with an error that names it but holds no payload', async () => {
    const publisher = createPublisher({ maxEventBytes: 200 });
    const envelope = sampleEnvelope('req-big', 0);
    publisher.publish(envelope);
    await publisher.flush();

    expect(publisher.droppedCount()).toBe(1);
    const line = lines.find((entry) => entry.message === 'event dropped');
    expect(line?.fields).toMatchObject({ eventId: envelope.eventId, requestId: 'req-big' });
    expect(JSON.stringify(line)).not.toContain('/v1/chat/completions');
  });

  it('never throws from publish, even after close', async () => {
    const publisher = createPublisher();
    await publisher.close();
    expect(() => publisher.publish(sampleEnvelope('req-late', 0))).not.toThrow();
    expect(publisher.spooledCount()).toBe(1);
  });
});
