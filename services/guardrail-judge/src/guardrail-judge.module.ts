import { type DynamicModule, type FactoryProvider, Module } from '@nestjs/common';
import { type RouterServiceClient } from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';
import { type EventPublisher } from '@aigw/events';
import { CONFIG_SOURCE, EVENT_PUBLISHER, ROUTER_CLIENT } from '@aigw/runtime';
import { GuardrailJudge } from './guardrail-judge';

/** guardrail-judge wiring: stateless, so any number of replicas can serve. */
@Module({})
export class GuardrailJudgeModule {
  static register(options: {
    /** Modules whose providers the router client factory injects (in-process router). */
    readonly imports?: DynamicModule[];
    /** How LLM judges reach provider-router: gRPC in a cluster, in-process standalone. */
    readonly routerClient: Omit<FactoryProvider<RouterServiceClient>, 'provide'>;
  }): DynamicModule {
    return {
      module: GuardrailJudgeModule,
      imports: options.imports ?? [],
      providers: [
        { provide: ROUTER_CLIENT, ...options.routerClient },
        {
          provide: GuardrailJudge,
          useFactory: (config: ConfigSource, events: EventPublisher, router: RouterServiceClient) =>
            new GuardrailJudge(config, events, router),
          inject: [CONFIG_SOURCE, EVENT_PUBLISHER, ROUTER_CLIENT],
        },
      ],
      exports: [GuardrailJudge],
    };
  }
}
