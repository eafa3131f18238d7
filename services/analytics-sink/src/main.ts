import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createAnalyticsStore } from '@aigw/analytics';
import { AnalyticsServiceDefinition } from '@aigw/contracts';
import { type Logger } from '@aigw/core';
import {
  createKafkaDeadLetterWriter,
  createKafkaEventSubscriber,
  ensureTopics,
  observeGauge,
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
import { KafkaConsumerLag } from './kafka-consumer-lag';
import { startMetricsServer } from './metrics-server';
import { SinkWorker } from './sink-worker';

const lagEveryMs = 15_000;

/**
 * Fault injection for the restart tests: with AIGW_SINK_CRASH_AFTER_BATCHES=n the process
 * SIGKILLs itself once n batches are in ClickHouse but before their offsets are committed.
 */
function crashAfterBatches(setting: string | undefined): ((batches: number) => void) | undefined {
  const limit = Number(setting ?? '');
  if (!Number.isInteger(limit) || limit < 1) return undefined;
  return (batches) => {
    if (batches >= limit) process.kill(process.pid, 'SIGKILL');
  };
}

/** Measures the group's lag now and then: a gauge on /metrics and an info log line. */
function watchConsumerLag(
  lag: KafkaConsumerLag,
  worker: SinkWorker,
  logger: Logger,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    lag
      .measure()
      .then((partitions) => {
        worker.metrics.setLag(partitions);
        logger.info('consumer lag', {
          lag: worker.metrics.totalLag(),
          batches: worker.metrics.batches,
        });
      })
      .catch((error: unknown) => logger.warn('could not measure consumer lag', { error }));
  }, lagEveryMs);
  timer.unref();
  return timer;
}

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
  const topics = [Topics.lifecycle.name, Topics.audit.name, Topics.payloads.name];
  const groupId = process.env['AIGW_SINK_GROUP_ID'] || clientId;
  const subscriber = createKafkaEventSubscriber({
    brokers: kafka.brokers,
    clientId,
    groupId,
    topics,
    // Every partition's batch is handed over at once, so one insert carries several of them.
    partitionsConsumedConcurrently: 12,
    // Large fetches make large writes (ClickHouse pays per insert); memory in hand stays
    // bounded by one fetch (16 MiB of records) until its write is acknowledged.
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
    // A replaced replica's partitions move on within seconds, not the 30 s default.
    sessionTimeoutMs: 10_000,
    logger: runtime.logger,
  });
  const worker = new SinkWorker(
    store,
    subscriber,
    (record, reason) => deadLetter.write(record, reason),
    runtime.logger,
    {
      endpointTags: (endpoint) => runtime.config.current().raw.endpoints[endpoint]?.tags ?? {},
      afterBatchStored: crashAfterBatches(process.env['AIGW_SINK_CRASH_AFTER_BATCHES']),
    },
  );
  const lag = new KafkaConsumerLag({
    brokers: kafka.brokers,
    clientId: `${clientId}-lag`,
    groupId,
    topics,
    logger: runtime.logger,
  });
  const lagTimer = watchConsumerLag(lag, worker, runtime.logger);
  // The same figures for OpenTelemetry (exported when OTEL_EXPORTER_OTLP_ENDPOINT is set).
  observeGauge('aigw.sink.consumer_lag', 'Records not yet committed by the sink group', () =>
    worker.metrics.totalLag(),
  );
  const metricsPort = Number(process.env['AIGW_SINK_METRICS_PORT'] ?? '');
  const metricsServer =
    Number.isInteger(metricsPort) && metricsPort > 0
      ? await startMetricsServer(worker.metrics, metricsPort, process.env['AIGW_SINK_METRICS_HOST'])
      : undefined;

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
    clearInterval(lagTimer);
    metricsServer?.close();
    await lag.close();
    await host.stop();
    await worker.stop();
    await deadLetter.close();
    await app.close();
    await runtime.events.close();
  });
}

main().catch(exitOnStartupFailure);
