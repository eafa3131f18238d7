import { type DynamicModule, Module } from '@nestjs/common';
import { type ConfigSource } from '@aigw/config';
import { type EventPublisher } from '@aigw/events';
import { CONFIG_SOURCE, EVENT_PUBLISHER } from '@aigw/runtime';
import { GuardrailJudge } from './guardrail-judge';

/** guardrail-judge wiring: stateless, so any number of replicas can serve. */
@Module({})
export class GuardrailJudgeModule {
  static register(): DynamicModule {
    return {
      module: GuardrailJudgeModule,
      providers: [
        {
          provide: GuardrailJudge,
          useFactory: (config: ConfigSource, events: EventPublisher) =>
            new GuardrailJudge(config, events),
          inject: [CONFIG_SOURCE, EVENT_PUBLISHER],
        },
      ],
      exports: [GuardrailJudge],
    };
  }
}
