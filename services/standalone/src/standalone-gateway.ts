import { join } from 'node:path';
import { createAnalyticsStore } from '@aigw/analytics';
import { SinkWorker } from '@aigw/analytics-sink';
import { type CompiledConfig, StaticConfigSource } from '@aigw/config';
import { type Logger } from '@aigw/core';
import { EmbeddedEventLog, Topics } from '@aigw/events';
import { GuardrailJudgeModule } from '@aigw/guardrail-judge';
import { IngressModule, startIngressServer } from '@aigw/ingress';
import { McpBrokerModule } from '@aigw/mcp-broker';
import { PolicyModule } from '@aigw/policy';
import { ProviderRouterModule } from '@aigw/provider-router';
import { RuntimeModule } from '@aigw/runtime';
import { inProcessClientsProvider, inProcessRouterClientProvider } from './in-process-clients';

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
  config: CompiledConfig,
  logger: Logger,
): Promise<StandaloneGateway> {
  const dataDir = config.raw.runtime.data_dir;
  const log = new EmbeddedEventLog({
    dataDir: join(dataDir, 'events'),
    // The sink inserts at most ~5 batches a second: ClickHouse prefers few large inserts.
    lingerMs: 200,
    maxBatchRecords: 5000,
    logger,
  });
  const events = log.publisher();
  const store = await createAnalyticsStore(config.raw.runtime.clickhouse, dataDir);
  const deadLetters = log.deadLetterWriter(Topics.deadLetter.name);
  const worker = new SinkWorker(
    store,
    log.subscriber(Topics.lifecycle.name, 'analytics-sink'),
    (record, reason) => deadLetters.write(record, reason),
    logger.child({ service: 'analytics-sink' }),
  );
  await worker.start();
  // One router module instance: LLM judges and ingress share its breakers and state.
  const routerModule = ProviderRouterModule.register();
  const server = await startIngressServer(
    [
      RuntimeModule.forRoot({ config: new StaticConfigSource(config), events, logger }),
      IngressModule.register({
        imports: [
          PolicyModule.register(),
          GuardrailJudgeModule.register({
            imports: [routerModule],
            routerClient: inProcessRouterClientProvider(),
          }),
          routerModule,
          McpBrokerModule.register(),
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
      await server.close();
      await events.flush();
      await worker.stop();
      await events.close();
      await log.close();
    },
  };
}
