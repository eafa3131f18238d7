import { createAnalyticsStore } from '@aigw/analytics';
import { AnalyticsServiceDefinition } from '@aigw/contracts';
import {
  createKafkaDeadLetterWriter,
  createKafkaEventSubscriber,
  ensureTopics,
  Topics,
} from '@aigw/events';
import {
  bindAddress,
  createClusterRuntime,
  exitOnStartupFailure,
  onShutdownSignal,
} from '@aigw/runtime';
import { GrpcServerHost } from '@aigw/transport';
import { analyticsGrpcImplementation } from './analytics-query.grpc-service';
import { SinkWorker } from './sink-worker';

/** Cluster mode: a Kafka consumer group member writing ClickHouse; serves read-only queries. */
async function main(): Promise<void> {
  const runtime = createClusterRuntime('analytics-sink');
  const config = runtime.config.current().raw;
  const kafka = config.runtime.kafka!;
  await ensureTopics(kafka.brokers, `${kafka.client_id}-analytics-sink`, undefined, {
    logger: runtime.logger,
  });
  const store = await createAnalyticsStore(config.runtime.clickhouse, config.runtime.data_dir);
  const deadLetter = createKafkaDeadLetterWriter({
    brokers: kafka.brokers,
    clientId: `${kafka.client_id}-analytics-sink-dlq`,
    topic: Topics.deadLetter.name,
    logger: runtime.logger,
  });
  const worker = new SinkWorker(
    store,
    createKafkaEventSubscriber({
      brokers: kafka.brokers,
      clientId: `${kafka.client_id}-analytics-sink`,
      groupId: `${kafka.client_id}-analytics-sink`,
      topics: [Topics.lifecycle.name],
      // A replaced replica's partitions move on within seconds, not the 30 s default.
      sessionTimeoutMs: 10_000,
      logger: runtime.logger,
    }),
    (record, reason) => deadLetter.write(record, reason),
    runtime.logger,
  );
  await worker.start();
  const host = new GrpcServerHost(runtime.logger);
  host.add(
    AnalyticsServiceDefinition,
    analyticsGrpcImplementation(worker.sink),
    AnalyticsServiceDefinition.fullName,
  );
  const address = config.runtime.services.analytics_sink;
  await host.start(bindAddress(address));
  onShutdownSignal(runtime.logger, async () => {
    await host.stop();
    await worker.stop();
    await deadLetter.close();
    await runtime.events.close();
  });
}

main().catch(exitOnStartupFailure);
