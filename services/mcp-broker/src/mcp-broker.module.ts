import { join } from 'node:path';
import { type DynamicModule, type FactoryProvider, Module } from '@nestjs/common';
import { type GuardrailServiceClient } from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';
import { EgressGuard, type Logger } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { CONFIG_SOURCE, EVENT_PUBLISHER, GUARDRAIL_CLIENT, LOGGER } from '@aigw/runtime';
import { ConnectionDirectory } from './connection-directory';
import { CredentialStore, RedisCredentialBackend } from './credential-store';
import { egressFetch } from './egress-fetch';
import { McpBroker } from './mcp-broker';
import { createMcpLimiter, McpCallLimits, type McpLimitStoreChoice } from './mcp-call-limits';
import { TokenExchanger } from './token-exchange';
import { ToolGuardrails } from './tool-guardrails';
import { UpstreamCredentials } from './upstream-credentials';
import { UpstreamSessions } from './upstream-sessions';

/** mcp-broker wiring. */
@Module({})
export class McpBrokerModule {
  static register(options: {
    /** Modules whose providers the guardrail client factory injects (in-process judge). */
    readonly imports?: DynamicModule[];
    /** How tool arguments and results reach guardrail-judge: gRPC in a cluster, in-process standalone. */
    readonly guardrailClient: Omit<FactoryProvider<GuardrailServiceClient>, 'provide'>;
    /** Rate-limit counters: process memory (standalone) or Redis when configured (cluster). */
    readonly limitStore?: McpLimitStoreChoice;
  }): DynamicModule {
    return {
      module: McpBrokerModule,
      imports: options.imports ?? [],
      providers: [
        { provide: GUARDRAIL_CLIENT, ...options.guardrailClient },
        {
          provide: ConnectionDirectory,
          useFactory: (config: ConfigSource) => new ConnectionDirectory(config),
          inject: [CONFIG_SOURCE],
        },
        {
          provide: McpBroker,
          useFactory: (
            config: ConfigSource,
            directory: ConnectionDirectory,
            guardrails: GuardrailServiceClient,
            events: EventPublisher,
            logger: Logger,
          ) => {
            const mcp = () => config.current().raw.mcp;
            const key = mcp().credential_key;
            // Per-user credentials: in Redis when the gateway has one (every broker replica
            // sees them), otherwise in files under the data dir.
            const redis = config.current().raw.runtime.redis;
            const store = key
              ? new CredentialStore(
                  redis
                    ? new RedisCredentialBackend(
                        redis.url,
                        redis.key_prefix,
                        redis.command_timeout_ms,
                      )
                    : join(config.current().raw.runtime.data_dir, 'mcp-credentials'),
                  key,
                )
              : undefined;
            // The guard follows config reloads: one per loaded config.
            let guardFor: { config: unknown; guard: EgressGuard } | undefined;
            const egress = (): EgressGuard => {
              const current = config.current();
              if (guardFor?.config !== current) {
                guardFor = {
                  config: current,
                  guard: new EgressGuard(current.raw.runtime.egress.allow_private),
                };
              }
              return guardFor.guard;
            };
            const credentials = new UpstreamCredentials(
              mcp,
              new TokenExchanger((input, init) => egressFetch(egress())(input, init)),
              store,
            );
            const brokerLogger = logger.child({ service: 'mcp-broker' });
            return new McpBroker(
              directory,
              new UpstreamSessions(
                credentials,
                () => mcp().session_idle_seconds * 1000,
                brokerLogger,
                egress,
              ),
              credentials,
              new ToolGuardrails(guardrails),
              store,
              new McpCallLimits(
                createMcpLimiter(options.limitStore ?? 'memory', config.current(), brokerLogger),
                brokerLogger,
              ),
              events,
              brokerLogger,
            );
          },
          inject: [CONFIG_SOURCE, ConnectionDirectory, GUARDRAIL_CLIENT, EVENT_PUBLISHER, LOGGER],
        },
      ],
      exports: [ConnectionDirectory, McpBroker],
    };
  }
}
