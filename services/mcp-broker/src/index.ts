export * from './connection-directory';
export * from './mcp-broker';
export * from './mcp-broker.grpc-service';
export * from './mcp-broker.module';
