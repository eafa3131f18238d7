import { type DynamicModule, type FactoryProvider, Module } from '@nestjs/common';
import { type EventPublisher } from '@aigw/events';
import { type ConfigSource } from '@aigw/config';
import { type Logger } from '@aigw/core';
import { CONFIG_SOURCE, EVENT_PUBLISHER, LOGGER } from '@aigw/runtime';
import { AdminKeysController } from './http/admin-keys.controller';
import { AnalyticsController } from './analytics/analytics.controller';
import { UiController } from './ui/ui.controller';
import { AdminController } from './http/admin.controller';
import { ChatCompletionsController } from './http/chat-completions.controller';
import { EmbeddingsController } from './http/embeddings.controller';
import { HealthController } from './http/health.controller';
import { MessagesController } from './http/messages.controller';
import { ModelsController } from './http/models.controller';
import { ResponsesController } from './http/responses.controller';
import { RootProbeController } from './http/root-probe.controller';
import { IngressReadiness } from './ingress-readiness';
import { INGRESS_CLIENTS } from './ingress.tokens';
import { McpController } from './mcp/mcp.controller';
import { McpProxy } from './mcp/mcp-proxy';
import { ChatPipeline } from './pipeline/chat-pipeline';
import { type IngressClients } from './pipeline/ingress-clients';
import { payloadLoggingFromConfig } from './pipeline/payload-capture';
import { RedisConversationStore } from './responses/redis-conversation-store';
import {
  type ConversationStore,
  ResponseConversationStore,
} from './responses/response-conversation-store';
import { RESPONSE_CONVERSATIONS } from './responses/responses.tokens';

/**
 * Where Responses API conversations live: Redis when the gateway has one (every ingress
 * replica can continue any response), otherwise this process's memory.
 */
function conversationStoreFor(config: ConfigSource, logger: Logger): ConversationStore {
  const redis = config.current().raw.runtime.redis;
  if (!redis) return new ResponseConversationStore();
  return new RedisConversationStore({
    url: redis.url,
    keyPrefix: redis.key_prefix,
    commandTimeoutMs: redis.command_timeout_ms,
    logger,
  });
}

/** The public HTTP API; the host binds IngressClients to gRPC or in-process adapters. */
@Module({})
export class IngressModule {
  static register(options: {
    /** Modules whose providers the clients factory injects (in-process services). */
    readonly imports?: DynamicModule[];
    readonly clients: Omit<FactoryProvider<IngressClients>, 'provide'>;
  }): DynamicModule {
    return {
      module: IngressModule,
      imports: options.imports ?? [],
      controllers: [
        ChatCompletionsController,
        EmbeddingsController,
        MessagesController,
        ResponsesController,
        RootProbeController,
        ModelsController,
        AdminController,
        AnalyticsController,
        UiController,
        AdminKeysController,
        HealthController,
        McpController,
      ],
      providers: [
        { provide: INGRESS_CLIENTS, ...options.clients },
        { provide: IngressReadiness, useValue: new IngressReadiness() },
        {
          provide: RESPONSE_CONVERSATIONS,
          useFactory: (config: ConfigSource, logger: Logger) =>
            conversationStoreFor(config, logger),
          inject: [CONFIG_SOURCE, LOGGER],
        },
        {
          provide: ChatPipeline,
          useFactory: (clients: IngressClients, events: EventPublisher, config: ConfigSource) =>
            new ChatPipeline(
              clients,
              events,
              payloadLoggingFromConfig(config),
              () => config.current().raw.budgets.length > 0,
            ),
          inject: [INGRESS_CLIENTS, EVENT_PUBLISHER, CONFIG_SOURCE],
        },
        {
          provide: McpProxy,
          useFactory: (clients: IngressClients, events: EventPublisher, logger: Logger) =>
            new McpProxy(clients, events, logger),
          inject: [INGRESS_CLIENTS, EVENT_PUBLISHER, LOGGER],
        },
      ],
      exports: [IngressReadiness],
    };
  }
}
