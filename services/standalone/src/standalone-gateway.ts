import { join } from 'node:path';
import { createAnalyticsStore } from '@aigw/analytics';
import { SinkWorker } from '@aigw/analytics-sink';
import {
  type CompiledConfig,
  type ConfigSource,
  FileConfigSource,
  StaticConfigSource,
} from '@aigw/config';
import { type Logger } from '@aigw/core';
import { EmbeddedEventLog, Topics, withEventMetrics } from '@aigw/events';
import { GuardrailJudgeModule } from '@aigw/guardrail-judge';
import { IngressModule, startIngressServer } from '@aigw/ingress';
import { McpBrokerModule } from '@aigw/mcp-broker';
import { PolicyModule } from '@aigw/policy';
import { ProviderRouterModule } from '@aigw/provider-router';
import { RuntimeModule, watchConfigWithAudit } from '@aigw/runtime';
import {
  inProcessClientsProvider,
  inProcessGuardrailClientProvider,
  inProcessRouterClientProvider,
} from './in-process-clients';

/** A running standalone gateway. */
export interface StandaloneGateway {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Every service in one process: events to an append-only log on disk, analytics in embedded
 * ClickHouse (chDB) fed from that log by the in-process sink, services called in-process.
 */
export async function startStandaloneGateway(
  configOrSource: CompiledConfig | ConfigSource,
  logger: Logger,
): Promise<StandaloneGateway> {
  // A FileConfigSource (see main.ts) is watched: edits apply without a restart.
  const source =
    'current' in configOrSource ? configOrSource : new StaticConfigSource(configOrSource);
  const config = source.current();
  const dataDir = config.raw.runtime.data_dir;
  const log = new EmbeddedEventLog({
    dataDir: join(dataDir, 'events'),
    // The sink writes about once a second: every ClickHouse insert has a fixed cost (parts, and
    // the cost rollup views on `requests`) that would otherwise dominate the gateway's CPU.
    // Rows are queryable about 1 s after a request ends.
    lingerMs: 1000,
    // Events of requests a few ms apart share one file write (a crash loses at most that long).
    writeDelayMs: 5,
    maxBatchRecords: 5000,
    logger,
  });
  const events = withEventMetrics(log.publisher());
  const stopWatching =
    source instanceof FileConfigSource
      ? watchConfigWithAudit(source, events, 'standalone')
      : () => undefined;
  const store = await createAnalyticsStore(config.raw.runtime.clickhouse, dataDir);
  const deadLetters = log.deadLetterWriter(Topics.deadLetter.name);
  const worker = new SinkWorker(
    store,
    [Topics.lifecycle.name, Topics.audit.name, Topics.payloads.name].map((topic) =>
      log.subscriber(topic, 'analytics-sink'),
    ),
    (record, reason) => deadLetters.write(record, reason),
    logger.child({ service: 'analytics-sink' }),
    {
      endpointTags: (endpoint) => source.current().raw.endpoints[endpoint]?.tags ?? {},
      // The three topics' deliveries of one round go into one write.
      batching: { idleMs: 100, maxDelayMs: 300 },
    },
  );
  await worker.start();
  // One router module instance: LLM judges and ingress share its breakers and state.
  const routerModule = ProviderRouterModule.register();
  // One judge module instance: ingress and mcp-broker share it.
  const guardrailModule = GuardrailJudgeModule.register({
    imports: [routerModule],
    routerClient: inProcessRouterClientProvider(),
  });
  const server = await startIngressServer(
    [
      RuntimeModule.forRoot({ config: source, events, logger }),
      IngressModule.register({
        imports: [
          PolicyModule.register(),
          guardrailModule,
          routerModule,
          McpBrokerModule.register({
            imports: [guardrailModule],
            guardrailClient: inProcessGuardrailClientProvider(),
          }),
        ],
        clients: inProcessClientsProvider(worker),
      }),
    ],
    config,
    logger,
  );
  return {
    url: server.url,
    close: async () => {
      stopWatching();
      await server.close();
      await events.flush();
      await worker.stop();
      await events.close();
      await log.close();
    },
  };
}
