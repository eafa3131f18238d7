import { type DynamicModule, Module } from '@nestjs/common';
import { type ConfigSource } from '@aigw/config';
import { type EventPublisher } from '@aigw/events';
import { CONFIG_SOURCE, EVENT_PUBLISHER } from '@aigw/runtime';
import { ProviderRouter } from './provider-router';

/** provider-router wiring. */
@Module({})
export class ProviderRouterModule {
  static register(): DynamicModule {
    return {
      module: ProviderRouterModule,
      providers: [
        {
          provide: ProviderRouter,
          useFactory: (config: ConfigSource, events: EventPublisher) =>
            new ProviderRouter(config, events),
          inject: [CONFIG_SOURCE, EVENT_PUBLISHER],
        },
      ],
      exports: [ProviderRouter],
    };
  }
}
