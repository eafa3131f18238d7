import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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
  RuntimeModule,
} from '@aigw/runtime';
import { GrpcServerHost } from '@aigw/transport';
import { analyticsGrpcImplementation } from './analytics-query.grpc-service';
import { AnalyticsSinkModule } from './analytics-sink.module';
import { SinkWorker } from './sink-worker';

/** Cluster mode: a Kafka consumer group member writing ClickHouse; serves read-only queries. */
async function main(): Promise<void> {
  const runtime = createClusterRuntime('analytics-sink');
  const config = runtime.config.current().raw;
  const kafka = config.runtime.kafka!;
  const clientId = `${kafka.client_id}-analytics-sink`;
  await ensureTopics(kafka.brokers, clientId, undefined, { logger: runtime.logger });
  const store = await createAnalyticsStore(config.runtime.clickhouse, config.runtime.data_dir);
  const deadLetter = createKafkaDeadLetterWriter({
    brokers: kafka.brokers,
    clientId: `${clientId}-dlq`,
    topic: Topics.deadLetter.name,
    logger: runtime.logger,
  });
  const subscriber = createKafkaEventSubscriber({
    brokers: kafka.brokers,
    clientId,
    groupId: clientId,
    topics: [Topics.lifecycle.name],
    // A replaced replica's partitions move on within seconds, not the 30 s default.
    sessionTimeoutMs: 10_000,
    logger: runtime.logger,
  });
  const worker = new SinkWorker(
    store,
    subscriber,
    (record, reason) => deadLetter.write(record, reason),
    runtime.logger,
  );

  @Module({ imports: [RuntimeModule.forRoot(runtime), AnalyticsSinkModule.register(worker)] })
  class SinkHostModule {}
  const app = await NestFactory.createApplicationContext(SinkHostModule, {
    logger: ['error', 'warn'],
  });
  await app.get(SinkWorker).start();

  const host = new GrpcServerHost(runtime.logger);
  host.add(
    AnalyticsServiceDefinition,
    analyticsGrpcImplementation(worker.sink),
    AnalyticsServiceDefinition.fullName,
  );
  await host.start(bindAddress(config.runtime.services.analytics_sink));
  onShutdownSignal(runtime.logger, async () => {
    await host.stop();
    await worker.stop();
    await deadLetter.close();
    await app.close();
    await runtime.events.close();
  });
}

main().catch(exitOnStartupFailure);
