import { GuardrailServiceDefinition, McpBrokerServiceDefinition } from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';
import { CONFIG_SOURCE, exitOnStartupFailure, runGrpcServiceMain } from '@aigw/runtime';
import { createServiceChannel, createServiceClient } from '@aigw/transport';
import { ConnectionDirectory } from './connection-directory';
import { McpBroker } from './mcp-broker';
import { mcpBrokerGrpcImplementation } from './mcp-broker.grpc-service';
import { McpBrokerModule } from './mcp-broker.module';

runGrpcServiceMain({
  service: 'mcp-broker',
  module: McpBrokerModule.register({
    limitStore: 'config',
    // Tool arguments and results are guarded by guardrail-judge over gRPC.
    guardrailClient: {
      useFactory: (config: ConfigSource) =>
        createServiceClient(
          GuardrailServiceDefinition,
          createServiceChannel(config.current().raw.runtime.services.guardrail_judge),
        ),
      inject: [CONFIG_SOURCE],
    },
  }),
  address: (config) => config.raw.runtime.services.mcp_broker,
  register: (app, host) => {
    host.add(
      McpBrokerServiceDefinition,
      mcpBrokerGrpcImplementation(app.get(ConnectionDirectory), app.get(McpBroker)),
      McpBrokerServiceDefinition.fullName,
    );
  },
}).catch(exitOnStartupFailure);
