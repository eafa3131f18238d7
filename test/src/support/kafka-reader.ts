import { Kafka, logLevel } from 'kafkajs';

export const kafkaBrokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

export interface ReadEvent {
  readonly key: string | null;
  readonly value: Record<string, unknown>;
}

/** Fails fast with a clear message when no broker answers (CI starts Kafka before the tests). */
export async function assertKafkaReachable(): Promise<void> {
  const admin = new Kafka({
    clientId: 'aigw-e2e-probe',
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    throw new Error(
      `Kafka is not reachable at ${kafkaBrokers.join(',')}: start it with deploy/local/start-kafka.sh (${String(error)})`,
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads a topic from the beginning with a plain kafkajs consumer (a fresh group) until `done`
 * says the collected events are complete, or the timeout passes.
 */
export async function readTopicUntil(
  topic: string,
  accept: (event: ReadEvent) => boolean,
  done: (events: ReadEvent[]) => boolean,
  timeoutMs = 60_000,
): Promise<ReadEvent[]> {
  const kafka = new Kafka({
    clientId: 'aigw-e2e-reader',
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: `aigw-e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  const events: ReadEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = {
        key: message.key?.toString('utf8') ?? null,
        value: JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>,
      };
      if (accept(event)) events.push(event);
      if (done(events)) finish();
    },
  });
  const timer = setTimeout(finish, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return events;
}
