import {
  ForwardRequest,
  ListConnectionsRequest,
  PutCredentialRequest,
  type McpBrokerServiceClient,
  type McpBrokerServiceImplementation,
} from '@aigw/contracts';
import { type ConnectionDirectory } from './connection-directory';
import { type McpBroker } from './mcp-broker';

/** The gRPC face of mcp-broker; a cancelled call cancels the upstream request. */
export function mcpBrokerGrpcImplementation(
  directory: ConnectionDirectory,
  broker: McpBroker,
): McpBrokerServiceImplementation {
  return {
    listConnections: async (request) => ({ connections: directory.visibleTo(request.principal) }),
    forward: (request, context) => broker.forward(request, context.signal),
    putCredential: (request) => broker.putCredential(request),
  };
}

/** The same client interface in-process (standalone mode). */
export function mcpBrokerInProcessClient(
  directory: ConnectionDirectory,
  broker: McpBroker,
): McpBrokerServiceClient {
  return {
    listConnections: async (request) => ({
      connections: directory.visibleTo(ListConnectionsRequest.fromPartial(request).principal),
    }),
    forward: (request, options) =>
      broker.forward(ForwardRequest.fromPartial(request), options?.signal),
    putCredential: (request) => broker.putCredential(PutCredentialRequest.fromPartial(request)),
  };
}
