import { type DynamicModule, type FactoryProvider, Module } from '@nestjs/common';
import { type EventPublisher } from '@aigw/events';
import { EVENT_PUBLISHER } from '@aigw/runtime';
import { AdminController } from './http/admin.controller';
import { ChatCompletionsController } from './http/chat-completions.controller';
import { EmbeddingsController } from './http/embeddings.controller';
import { HealthController } from './http/health.controller';
import { MessagesController } from './http/messages.controller';
import { ModelsController } from './http/models.controller';
import { IngressReadiness } from './ingress-readiness';
import { INGRESS_CLIENTS } from './ingress.tokens';
import { ChatPipeline } from './pipeline/chat-pipeline';
import { type IngressClients } from './pipeline/ingress-clients';

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
        ModelsController,
        AdminController,
        HealthController,
      ],
      providers: [
        { provide: INGRESS_CLIENTS, ...options.clients },
        { provide: IngressReadiness, useValue: new IngressReadiness() },
        {
          provide: ChatPipeline,
          useFactory: (clients: IngressClients, events: EventPublisher) =>
            new ChatPipeline(clients, events),
          inject: [INGRESS_CLIENTS, EVENT_PUBLISHER],
        },
      ],
      exports: [IngressReadiness],
    };
  }
}
