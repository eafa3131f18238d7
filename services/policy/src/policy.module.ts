import { type DynamicModule, Module } from '@nestjs/common';
import { type ConfigSource } from '@aigw/config';
import { type Logger } from '@aigw/core';
import { type EventPublisher } from '@aigw/events';
import { CONFIG_SOURCE, EVENT_PUBLISHER, LOGGER } from '@aigw/runtime';
import { ApiKeyService } from './identity/api-key-service';
import { ApiKeyStoreHolder } from './identity/api-key-store.provider';
import { createApiKeyStore } from './identity/create-api-key-store';
import { IdentityResolver } from './identity/identity-resolver';
import { createLimiter, type LimitStoreChoice } from './limits/create-limiter';
import { LimitGate } from './limits/limit-gate';
import { PolicyDecider } from './policy-decider';

/** Policy service wiring: the decider over the config in force and the event log. */
@Module({})
export class PolicyModule {
  /** `limitStore: 'config'` (cluster mode) keeps limits in Redis when runtime.redis is set. */
  static register(options: { limitStore?: LimitStoreChoice } = {}): DynamicModule {
    return {
      module: PolicyModule,
      providers: [
        {
          provide: ApiKeyStoreHolder,
          useFactory: (config: ConfigSource, logger: Logger) =>
            new ApiKeyStoreHolder(createApiKeyStore(config.current(), logger)),
          inject: [CONFIG_SOURCE, LOGGER],
        },
        {
          provide: IdentityResolver,
          useFactory: (config: ConfigSource, keys: ApiKeyStoreHolder) =>
            new IdentityResolver(config, keys.store),
          inject: [CONFIG_SOURCE, ApiKeyStoreHolder],
        },
        {
          provide: ApiKeyService,
          useFactory: (config: ConfigSource, keys: ApiKeyStoreHolder, events: EventPublisher) =>
            new ApiKeyService(config, keys.store, events),
          inject: [CONFIG_SOURCE, ApiKeyStoreHolder, EVENT_PUBLISHER],
        },
        {
          provide: LimitGate,
          useFactory: (config: ConfigSource, logger: Logger) =>
            new LimitGate(
              createLimiter(options.limitStore ?? 'memory', config.current(), logger),
              logger,
            ),
          inject: [CONFIG_SOURCE, LOGGER],
        },
        {
          provide: PolicyDecider,
          useFactory: (
            config: ConfigSource,
            events: EventPublisher,
            identity: IdentityResolver,
            limits: LimitGate,
          ) => new PolicyDecider(config, events, identity, limits),
          inject: [CONFIG_SOURCE, EVENT_PUBLISHER, IdentityResolver, LimitGate],
        },
      ],
      exports: [PolicyDecider, ApiKeyService, IdentityResolver],
    };
  }
}
