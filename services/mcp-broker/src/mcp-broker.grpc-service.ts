import {
  ListConnectionsRequest,
  type McpBrokerServiceClient,
  type McpBrokerServiceImplementation,
} from '@aigw/contracts';
import { ServerError, Status } from 'nice-grpc';
import { type ConnectionDirectory } from './connection-directory';

const notYet = 'MCP forwarding is not available in this version of aigw';

/** The gRPC face of mcp-broker. Forwarding of MCP operations is not built yet and says so. */
export function mcpBrokerGrpcImplementation(
  directory: ConnectionDirectory,
): McpBrokerServiceImplementation {
  return {
    listConnections: async (request) => ({ connections: directory.visibleTo(request.principal) }),
    forward: async () => {
      throw new ServerError(Status.UNIMPLEMENTED, notYet);
    },
  };
}

/** The same client interface in-process (standalone mode). */
export function mcpBrokerInProcessClient(directory: ConnectionDirectory): McpBrokerServiceClient {
  return {
    listConnections: async (request) => ({
      connections: directory.visibleTo(ListConnectionsRequest.fromPartial(request).principal),
    }),
    forward: async () => {
      throw new ServerError(Status.UNIMPLEMENTED, notYet);
    },
  };
}
