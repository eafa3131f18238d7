import { type Connection, type Principal } from '@aigw/contracts';
import { type ConfigSource, type McpConnectionConfig } from '@aigw/config';
import { isListed, ToolPermissions } from './tool-permissions';

/** One configured MCP connection, compiled once per config load. */
export interface McpConnection {
  readonly name: string;
  readonly config: McpConnectionConfig;
  readonly transport: 'streamable-http' | 'stdio';
  readonly tools: ToolPermissions;
}

/** The MCP connections of the config and who may use them (deny by default). */
export class ConnectionDirectory {
  private compiledFor: unknown;
  private connections = new Map<string, McpConnection>();

  constructor(private readonly config: ConfigSource) {}

  /** The connection by name, or undefined. */
  get(name: string): McpConnection | undefined {
    return this.compiled().get(name);
  }

  /** May the principal use the connection at all? */
  allows(connection: McpConnection, principal: Principal): boolean {
    return isListed(connection.config.allow, principal);
  }

  visibleTo(principal: Principal | undefined): Connection[] {
    if (!principal) return [];
    return [...this.compiled().values()]
      .filter((connection) => this.allows(connection, principal))
      .map((connection) => ({
        name: connection.name,
        transport: connection.transport,
        auth: connection.config.auth,
      }));
  }

  private compiled(): Map<string, McpConnection> {
    const current = this.config.current();
    if (this.compiledFor !== current) {
      this.connections = new Map(
        Object.entries(current.raw.mcp.connections).map(([name, config]) => [
          name,
          {
            name,
            config,
            transport: config.command ? 'stdio' : 'streamable-http',
            tools: new ToolPermissions(config.tools),
          },
        ]),
      );
      this.compiledFor = current;
    }
    return this.connections;
  }
}
