import { type DynamicModule, Module } from '@nestjs/common';
import { type ConfigSource } from '@aigw/config';
import { type EventPublisher } from '@aigw/events';
import { CONFIG_SOURCE, EVENT_PUBLISHER } from '@aigw/runtime';
import { PolicyDecider } from './policy-decider';

/** Policy service wiring: the decider over the config in force and the event log. */
@Module({})
export class PolicyModule {
  static register(): DynamicModule {
    return {
      module: PolicyModule,
      providers: [
        {
          provide: PolicyDecider,
          useFactory: (config: ConfigSource, events: EventPublisher) =>
            new PolicyDecider(config, events),
          inject: [CONFIG_SOURCE, EVENT_PUBLISHER],
        },
      ],
      exports: [PolicyDecider],
    };
  }
}
