import { type DynamicModule, Module } from '@nestjs/common';
import { type ConfigSource } from '@aigw/config';
import { CONFIG_SOURCE } from '@aigw/runtime';
import { ConnectionDirectory } from './connection-directory';

/** mcp-broker wiring. */
@Module({})
export class McpBrokerModule {
  static register(): DynamicModule {
    return {
      module: McpBrokerModule,
      providers: [
        {
          provide: ConnectionDirectory,
          useFactory: (config: ConfigSource) => new ConnectionDirectory(config),
          inject: [CONFIG_SOURCE],
        },
      ],
      exports: [ConnectionDirectory],
    };
  }
}
