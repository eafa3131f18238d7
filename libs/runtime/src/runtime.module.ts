import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CONFIG_SOURCE, EVENT_PUBLISHER, LOGGER } from './tokens';
import { type ServiceRuntime } from './service-runtime';

/** Makes the host's config, logger and event log injectable in every service module. */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: Omit<ServiceRuntime, 'service' | 'telemetry'>): DynamicModule {
    return {
      module: RuntimeModule,
      providers: [
        { provide: CONFIG_SOURCE, useValue: runtime.config },
        { provide: EVENT_PUBLISHER, useValue: runtime.events },
        { provide: LOGGER, useValue: runtime.logger },
      ],
      exports: [CONFIG_SOURCE, EVENT_PUBLISHER, LOGGER],
    };
  }
}
