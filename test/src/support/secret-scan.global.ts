import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { upstreamKey } from './gateway-config';
import { testKeys } from './gateway-keys';
import { kafkaBrokers } from './kafka-reader';

/**
 * Global setup of the e2e project. Before: a directory where every child process's output and
 * every run-time secret is collected. After all tests: every log line of every gateway process
 * and every event on the aigw Kafka topics is searched for every secret the run used (gateway
 * keys, provider keys, tokens); one hit fails the run.
 */
export function setup(): void {
  process.env['AIGW_SECRET_SCAN_DIR'] ??= mkdtempSync(join(tmpdir(), 'aigw-secret-scan-'));
}

export async function teardown(): Promise<void> {
  const dir = process.env['AIGW_SECRET_SCAN_DIR'];
  if (!dir) return;
  try {
    const secrets = knownSecrets(dir);
    const hits: string[] = [];
    const logDir = join(dir, 'logs');
    const logs = existsSync(logDir) ? readdirSync(logDir) : [];
    for (const file of logs) {
      const text = readFileSync(join(logDir, file), 'utf8');
      for (const secret of secrets) {
        if (text.includes(secret)) hits.push(`log ${file} contains ${mask(secret)}`);
      }
    }
    const events = await scanKafka(secrets, hits);
    process.stdout.write(
      `secret scan: ${secrets.length} secrets, ${logs.length} process logs, ${events} Kafka records, ${hits.length} hits\n`,
    );
    if (hits.length > 0) {
      // Vitest reports a teardown error but keeps its exit code: set it, then say why.
      process.exitCode = 1;
      throw new Error(`secrets leaked into logs or events:\n  ${hits.slice(0, 50).join('\n  ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function knownSecrets(dir: string): string[] {
  const registered = existsSync(join(dir, 'secrets.txt'))
    ? readFileSync(join(dir, 'secrets.txt'), 'utf8').split('\n')
    : [];
  return [...new Set([...Object.values(testKeys), upstreamKey, ...registered])].filter(
    (secret) => secret.length >= 8,
  );
}

function mask(secret: string): string {
  return `${secret.slice(0, 6)}…(${secret.length} chars)`;
}

/** Reads every aigw.* topic to its end; returns how many records it read. */
async function scanKafka(secrets: readonly string[], hits: string[]): Promise<number> {
  const kafka = new Kafka({
    clientId: 'aigw-secret-scan',
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch {
    process.stdout.write('secret scan: Kafka not reachable, events not scanned\n');
    return 0;
  }
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith('aigw.'));
    const remaining = new Map<string, bigint>();
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        const count = BigInt(partition.high) - BigInt(partition.low);
        if (count > 0n) remaining.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
    }
    if (remaining.size === 0) return 0;
    const consumer = kafka.consumer({ groupId: `aigw-secret-scan-${Date.now()}` });
    let records = 0;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('secret scan: timed out reading Kafka')),
        120_000,
      );
      consumer
        .run({
          eachMessage: ({ topic, partition, message }) => {
            records += 1;
            const text = `${message.value?.toString('utf8') ?? ''} ${JSON.stringify(
              Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)]),
              ),
            )}`;
            for (const secret of secrets) {
              if (text.includes(secret)) {
                hits.push(`event ${topic}/${partition}@${message.offset} contains ${mask(secret)}`);
              }
            }
            const key = `${topic}/${partition}`;
            const high = remaining.get(key);
            if (high !== undefined && BigInt(message.offset) + 1n >= high) remaining.delete(key);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return records;
  } finally {
    await admin.disconnect();
  }
}
