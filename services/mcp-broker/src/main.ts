import { McpBrokerServiceDefinition } from '@aigw/contracts';
import { exitOnStartupFailure, runGrpcServiceMain } from '@aigw/runtime';
import { ConnectionDirectory } from './connection-directory';
import { mcpBrokerGrpcImplementation } from './mcp-broker.grpc-service';
import { McpBrokerModule } from './mcp-broker.module';

runGrpcServiceMain({
  service: 'mcp-broker',
  module: McpBrokerModule.register(),
  address: (config) => config.raw.runtime.services.mcp_broker,
  register: (app, host) => {
    host.add(
      McpBrokerServiceDefinition,
      mcpBrokerGrpcImplementation(app.get(ConnectionDirectory)),
      McpBrokerServiceDefinition.fullName,
    );
  },
}).catch(exitOnStartupFailure);
