import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { eventually } from '../event-fixtures.test-support';

/** Brokers of the integration tests: KAFKA_BROKERS (comma-separated) or the local broker. */
export const kafkaBrokers: readonly string[] = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')
  .split(',')
  .map((broker) => broker.trim())
  .filter((broker) => broker.length > 0);

const repoRoot = resolve(__dirname, '../../../..');

/** A name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

let reachable: Promise<void> | undefined;

/**
 * Fails (never skips) with a clear message when no broker answers. Meant for `beforeEach`, so
 * every test of the file is reported failed; the check itself runs once per file.
 */
export function requireKafka(): Promise<void> {
  reachable ??= checkKafka();
  return reachable;
}

async function checkKafka(): Promise<void> {
  const admin = new Kafka({
    brokers: [...kafkaBrokers],
    clientId: 'aigw-int-check',
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 200 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    throw new Error(
      `Kafka is not reachable at ${kafkaBrokers.join(',')} (${String(error)}). ` +
        'Integration tests need a running broker: bash deploy/local/install.sh && ' +
        'bash deploy/local/start-kafka.sh (or set KAFKA_BROKERS). They never skip.',
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Runs deploy/local/<script> (start-kafka.sh / stop-kafka.sh) with this process's env. */
export function runLocalScript(script: 'start-kafka.sh' | 'stop-kafka.sh'): void {
  execFileSync('bash', [resolve(repoRoot, 'deploy/local', script)], { stdio: 'inherit' });
}

/** True if something accepts TCP connections at the first broker's address. */
export function brokerPortOpen(): Promise<boolean> {
  const [host, port] = kafkaBrokers[0]!.split(':');
  return new Promise((done) => {
    const socket = connect({ host: host!, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** A message as a plain kafkajs consumer saw it. */
export interface ReadMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly traceId: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/** How long to read and which messages to keep. */
export interface ReadOptions {
  readonly timeoutMs?: number;
  readonly settleMs?: number;
  readonly accept?: (message: ReadMessage) => boolean;
}

/**
 * Reads `topics` from the beginning with a plain kafkajs consumer (a fresh group) until
 * `done(messages)` holds, then `settleMs` longer so duplicates would show up too.
 */
export async function readTopics(
  topics: readonly string[],
  done: (messages: readonly ReadMessage[]) => boolean,
  { timeoutMs = 60_000, settleMs = 1_500, accept = () => true }: ReadOptions = {},
): Promise<ReadMessage[]> {
  const consumer = new Kafka({
    brokers: [...kafkaBrokers],
    clientId: 'aigw-int-reader',
    // First use of a group briefly logs "coordinator not available"; failures show as timeouts.
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: uniqueName('aigw-int-reader'), maxWaitTimeInMs: 200 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const read: ReadMessage = {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value ?? Buffer.alloc(0),
          traceId: message.headers?.['trace_id']?.toString(),
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
          ),
        };
        if (accept(read)) messages.push(read);
      },
    });
    await eventually(() => done(messages), `messages on ${topics.join(',')}`, timeoutMs);
    await new Promise((wait) => setTimeout(wait, settleMs));
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
